// The Python interpreter of the in-page runner: Pyodide, in a module Web Worker, so the page
// never waits for it. It loads from this site only (assets/pyodide/: the pinned npm package and
// the project's own wheel), installs the wheel, then runs a page's steps with
// forkdocs.doctools.run.pagerun, the same code the CI test runs under CPython.
//
// Messages in:  {id, page, steps (JSON text), flags, upto, edits (JSON text)}
// Messages out: {type: "progress", text}, {type: "ready", python, pyodide},
//               {type: "failed", text} (the interpreter could not start),
//               {type: "started", id} (a request's run begins: runs go one at a time),
//               {type: "done", id, outcomes}, {type: "error", id, text}.
import { loadPyodide } from "../assets/pyodide/pyodide.mjs";

const assets = new URL("../assets/pyodide/", import.meta.url);

// A Content-Security-Policy without 'wasm-unsafe-eval' makes Pyodide's load wait forever;
// compiling the smallest module (the 8-byte header) shows it at once instead.
function webAssemblyAllowed() {
  try {
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    return true;
  } catch (error) {
    return false;
  }
}

async function start() {
  if (!webAssemblyAllowed()) {
    throw new Error(
      "this site's Content-Security-Policy does not let it run WebAssembly:" +
        " its script-src must allow 'wasm-unsafe-eval'",
    );
  }
  postMessage({ type: "progress", text: "Loading the Python interpreter (Pyodide)" });
  const pyodide = await loadPyodide({ indexURL: assets.href, packageBaseUrl: assets.href });
  postMessage({ type: "progress", text: "Installing forkdocs" });
  const index = await (await fetch(new URL("forkdocs.json", assets))).json();
  const wheel = await (await fetch(new URL(index.wheel, assets))).arrayBuffer();
  pyodide.unpackArchive(new Uint8Array(wheel), "wheel");
  const runner = pyodide.pyimport("forkdocs.doctools.run.pagerun");
  const python = pyodide.runPython("import sys; sys.version.split()[0]");
  postMessage({ type: "ready", python: python, pyodide: index.pyodide });
  return runner;
}

const ready = start();
ready.catch((error) => postMessage({ type: "failed", text: String(error) }));

onmessage = async (event) => {
  const message = event.data;
  try {
    const runner = await ready;
    postMessage({ type: "started", id: message.id });
    const found = runner.run_json(
      message.page,
      message.steps,
      message.upto,
      message.edits,
      message.flags,
    );
    postMessage({ type: "done", id: message.id, outcomes: JSON.parse(found) });
  } catch (error) {
    postMessage({ type: "error", id: message.id, text: String(error) });
  }
};
