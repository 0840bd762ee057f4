// Progressive enhancement of the data store's upload forms: sends the form with
// XMLHttpRequest so a GOV.UK-styled progress bar can show the upload, then follows the server:
// to the version's status page on success, or shows the page it answered (the form with its
// errors). Without JavaScript the form posts as usual.
const form = document.querySelector("[data-upload-form]");

function showError(message) {
  // The server's own wording, shown as the GOV.UK error summary would show it.
  const summary = document.createElement("div");
  summary.className = "govuk-error-summary";
  summary.setAttribute("data-module", "govuk-error-summary");
  summary.innerHTML =
    '<div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2>' +
    '<div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">' +
    '<li><a href="#id_file"></a></li></ul></div></div>';
  summary.querySelector("a").textContent = message;
  form.parentElement.insertBefore(summary, form.parentElement.firstChild);
  summary.setAttribute("tabindex", "-1");
  summary.focus();
}

function send(event) {
  const file = form.querySelector('input[name="file"]');
  const chosen = file && file.files && file.files[0];
  if (chosen && chosen.size > Number(form.dataset.maxBytes)) {
    event.preventDefault();
    showError(form.dataset.tooLarge);
    return;
  }
  event.preventDefault();
  const box = form.querySelector("[data-upload-progress]");
  const bar = document.getElementById("upload-progress-bar");
  const text = document.getElementById("upload-progress-text");
  const button = form.querySelector('button[type="submit"]');
  box.hidden = false;
  button.disabled = true;
  button.setAttribute("aria-disabled", "true");

  const request = new XMLHttpRequest();
  request.open("POST", form.action || window.location.href);
  request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
  request.upload.onprogress = (progress) => {
    if (!progress.lengthComputable) return;
    const percent = Math.floor((progress.loaded / progress.total) * 100);
    bar.value = percent;
    bar.textContent = `${percent}%`;
    text.textContent = `Uploading your file: ${percent}% sent`;
  };
  request.upload.onload = () => {
    bar.value = 100;
    text.textContent = "Uploaded. Saving your file…";
  };
  request.onload = () => {
    // Uploaded: the server names the version's status page. Otherwise it sent the form back
    // with its errors, shown as the page itself.
    if ((request.getResponseHeader("Content-Type") || "").startsWith("application/json")) {
      window.location.assign(JSON.parse(request.responseText).next);
      return;
    }
    document.open();
    document.write(request.responseText);
    document.close();
  };
  request.onerror = () => {
    box.hidden = true;
    button.disabled = false;
    button.removeAttribute("aria-disabled");
    showError("The upload stopped before it finished. Check your connection and try again.");
  };
  request.send(new FormData(form));
}

if (form && window.FormData && window.XMLHttpRequest) form.addEventListener("submit", send);
