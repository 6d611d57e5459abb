/* geoinc report: the download links unpack their gzip'd, base64 file in the browser (no network). */
(function () {
  "use strict";
  function bytes(b64) {
    const bin = atob(b64), out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  /* the file behind a download link, as a Blob of its own type */
  async function unpack(link) {
    if (typeof DecompressionStream === "undefined") throw new Error("this browser cannot unpack the file (no DecompressionStream)");
    const stream = new Blob([bytes(link.dataset.gz)]).stream().pipeThrough(new DecompressionStream("gzip"));
    const data = await new Response(stream).arrayBuffer();
    return new Blob([data], {type: link.dataset.mime});
  }
  /* the text of a named download (for tests and scripts): geoincReportFile("incidents.csv") */
  window.geoincReportFile = async function (name) {
    const link = [...document.querySelectorAll("a.download")].find(a => a.dataset.name === name);
    if (!link) throw new Error("no download named " + name);
    return (await unpack(link)).text();
  };
  const status = document.querySelector(".download-status");
  document.querySelectorAll("a.download").forEach(function (link) {
    link.addEventListener("click", async function (event) {
      event.preventDefault();
      try {
        const url = URL.createObjectURL(await unpack(link));
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
  window.geoincReportReady = true;
})();
