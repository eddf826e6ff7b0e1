// Keyboard-first search (type, arrows, Enter) and "Print" that opens the print dialog on the PDF.
(function () {
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  document.querySelectorAll("select[data-autosubmit]").forEach((s) => s.addEventListener("change", () => s.form.submit()));
  const q = document.getElementById("q");
  if (q) {
    const list = document.getElementById("results");
    const cards = Array.from(document.querySelectorAll(".card"));
    let active = -1;
    const shown = () => Array.from(list.querySelectorAll("li:not([hidden]) .card"));
    const mark = () => cards.forEach((c) => c.classList.toggle("active", shown()[active] === c));
    const filter = () => {
      const query = fold(q.value), words = query.split(/\s+/).filter(Boolean);
      cards.forEach((c) => { c.parentElement.hidden = !words.every((w) => c.dataset.terms.includes(" " + w)); });
      cards.filter((c) => c.dataset.aliases.includes("|" + query + "|")).forEach((c) => list.prepend(c.parentElement));
      active = query && shown().length ? 0 : -1;
      mark();
    };
    q.addEventListener("input", filter);
    q.addEventListener("keydown", (e) => {
      const visible = shown();
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        active = Math.max(0, Math.min(visible.length - 1, active + (e.key === "ArrowDown" ? 1 : -1)));
        mark();
        if (visible[active]) visible[active].scrollIntoView({ block: "nearest" });
      } else if (e.key === "Enter" && visible.length) {
        e.preventDefault();
        window.location = visible[Math.max(active, 0)].href;
      }
    });
    if (q.value) filter();
  }
  const form = document.getElementById("patient"), frame = document.getElementById("preview");
  if (form && frame) {
    let printNext = false;
    form.addEventListener("submit", (e) => {
      printNext = !e.submitter || e.submitter.value === "print";
      if (printNext && form.dataset.draft && !window.confirm(form.dataset.draft)) { e.preventDefault(); printNext = false; }
    });
    frame.addEventListener("load", () => {
      if (!printNext) return;
      printNext = false;
      window.printRequests = (window.printRequests || 0) + 1;
      (window.handoutsPrint || ((f) => { f.contentWindow.focus(); f.contentWindow.print(); }))(frame);
    });
  }
})();
