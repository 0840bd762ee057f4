// Polls a job's JSON status and updates its progress bar; reloads the page when the job ends.
const container = document.querySelector("[data-poll-url]");

async function poll() {
  const response = await fetch(container.dataset.pollUrl, { credentials: "same-origin" });
  if (!response.ok) return;
  const job = await response.json();
  if (job.finished) {
    window.location.reload();
    return;
  }
  document.getElementById("verification-progress").value = job.percent;
  document.getElementById("verification-status").textContent =
    `Running: ${job.checked} of ${job.total} events checked.`;
  window.setTimeout(poll, 2000);
}

if (container) window.setTimeout(poll, 2000);
