/* geoinc report: the map and the download links unpack their gzip'd, base64 data in the browser (no network). */
(function () {
  "use strict";
  function bytes(b64) {
    const bin = atob(b64), out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  /* gzip'd base64 data as a Blob of the given type */
  async function unpack(b64, type) {
    if (typeof DecompressionStream === "undefined") throw new Error("this browser cannot unpack the file (no DecompressionStream)");
    const stream = new Blob([bytes(b64)]).stream().pipeThrough(new DecompressionStream("gzip"));
    const data = await new Response(stream).arrayBuffer();
    return new Blob([data], {type: type});
  }
  /* the live map: its page goes into the sandboxed frame (scripts only, an origin of its own) */
  const frame = document.querySelector(".map-live iframe[data-gz]");
  const mapReady = !frame ? Promise.resolve(false) : unpack(frame.dataset.gz, "text/html")
    .then(b => b.text())
    .then(function (page) {
      return new Promise(function (resolve) {
        /* ready once the map's document has loaded (its scripts have run) */
        frame.addEventListener("load", function () { resolve(true); }, {once: true});
        document.getElementById("map").classList.add("map-ready");
        frame.srcdoc = page;
      });
    }, function () {   /* cannot unpack: the static picture stays, the empty frame goes */
      frame.parentElement.hidden = true;
      return false;
    });
  /* the text of a named download (for tests and scripts): geoincReportFile("incidents.csv") */
  window.geoincReportFile = async function (name) {
    const link = [...document.querySelectorAll("a.download")].find(a => a.dataset.name === name);
    if (!link) throw new Error("no download named " + name);
    return (await unpack(link.dataset.gz, link.dataset.mime)).text();
  };
  const status = document.querySelector(".download-status");
  document.querySelectorAll("a.download").forEach(function (link) {
    link.addEventListener("click", async function (event) {
      event.preventDefault();
      try {
        const url = URL.createObjectURL(await unpack(link.dataset.gz, link.dataset.mime));
        const a = document.createElement("a");
        a.href = url; a.download = link.dataset.name;
        document.body.appendChild(a); a.click(); a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        if (status) status.textContent = "";
      } catch (err) {
        if (status) status.textContent = " " + err.message;
      }
    });
  });
  mapReady.then(function () { window.geoincReportReady = true; });
})();
