// The observation import form: while htmx sends the file, the bar shows how much is uploaded; once
// it is, the server is checking and importing, which has no measure, so the bar moves without one.
document.addEventListener("htmx:xhr:progress", (event) => {
  const bar = document.getElementById("import-progress-bar");
  if (!bar || !event.target.closest("#import-panel") || !event.detail.lengthComputable) return;
  const label = document.querySelector('label[for="import-progress-bar"]');
  if (event.detail.loaded < event.detail.total) {
    bar.value = Math.round((100 * event.detail.loaded) / event.detail.total);
    label.textContent = label.dataset.uploading;
  } else {
    bar.removeAttribute("value");
    label.textContent = label.dataset.working;
  }
});
document.addEventListener("htmx:beforeRequest", (event) => {
  const bar = document.getElementById("import-progress-bar");
  if (bar && event.target.closest("#import-panel")) bar.removeAttribute("value");
});
