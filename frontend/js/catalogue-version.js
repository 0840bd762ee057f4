// The version status page while a file is checked: polls the version's status JSON and moves
// on to the finished page when the check ends. Without JavaScript the page has a Refresh link.
const box = document.querySelector("[data-version-status]");

async function poll() {
  const response = await fetch(box.dataset.versionStatus, { credentials: "same-origin" });
  if (!response.ok) return;
  const state = await response.json();
  if (state.finished) {
    window.location.assign(state.next);
    return;
  }
  document.getElementById("version-status-text").textContent = `${state.label}.`;
  window.setTimeout(poll, 2000);
}

if (box) window.setTimeout(poll, 2000);
