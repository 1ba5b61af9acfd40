// Run, Edit and Reset for every Python example of a page, in the reader's browser.
//
// The build (forkdocs/doctools/integrations/inpage.py) marks each example's <pre> with data-fd-step and
// appends the page's steps as JSON in <template class="fd-steps">: every block
// the harness runs, in order, hidden set-up code included. Run replays the steps above the
// block in a fresh namespace (the harness's rule), then runs the block, in Python loaded on the
// first Run into a Web Worker (run-worker.js). A classic script, so that a page opened from
// file:// (where module scripts and workers do not load) can say how to serve the site instead.
(function () {
  "use strict";

  // Limits, in seconds; a site may change them with window.forkdocsRunnerOptions =
  // {loadSeconds, runSeconds}, read when Python starts.
  const limit = (name, otherwise) => (window.forkdocsRunnerOptions || {})[name] || otherwise;
  const LOAD_SECONDS = 120; // about 4 s here; 14 MB at 1 MB/s is under 15 s
  const RUN_SECONDS = 30;
  const here = document.currentScript.src;

  // The interpreter: one worker per page, started on the first request.
  const python = {
    worker: null,
    ready: false,
    version: "",
    waiting: new Map(),
    next: 0,
    progress: "Starting Python",
    listeners: new Set(),

    start() {
      if (this.worker) return;
      this.worker = new Worker(new URL("run-worker.js", here), { type: "module" });
      this.worker.onmessage = (event) => this.receive(event.data);
      this.worker.onerror = (event) => {
        event.preventDefault();
        this.fail(`the interpreter could not load (${event.message || "a script failed"})`);
      };
      const seconds = limit("loadSeconds", LOAD_SECONDS);
      this.runSeconds = limit("runSeconds", RUN_SECONDS);
      this.loading = setTimeout(() => {
        if (!this.ready) {
          this.fail(
            `Python did not start within ${seconds} s: the connection may be too slow for` +
              " its 14 MB, or a Content-Security-Policy may keep WebAssembly from loading" +
              " (its script-src must allow 'wasm-unsafe-eval'). The next Run tries again.",
          );
        }
      }, seconds * 1000);
    },

    receive(message) {
      if (message.type === "progress") {
        this.progress = message.text;
        this.listeners.forEach((listener) => listener());
      } else if (message.type === "ready") {
        this.ready = true;
        this.version = `Python ${message.python} (Pyodide ${message.pyodide})`;
        clearTimeout(this.loading);
      } else if (message.type === "failed") {
        this.fail(`Python could not start: ${message.text}`);
      } else if (message.type === "started") {
        const pending = this.waiting.get(message.id);
        if (pending) pending.arm();
      } else {
        const pending = this.waiting.get(message.id);
        if (!pending) return;
        this.waiting.delete(message.id);
        clearTimeout(pending.timer);
        if (message.type === "done") pending.resolve(message.outcomes);
        else pending.reject(new Error(message.text));
      }
    },

    // Stop the worker and fail every request; the next request starts a new one.
    fail(text) {
      clearTimeout(this.loading);
      if (this.worker) this.worker.terminate();
      this.worker = null;
      this.ready = false;
      const pending = [...this.waiting.values()];
      this.waiting.clear();
      pending.forEach((one) => {
        clearTimeout(one.timer);
        one.reject(new Error(text));
      });
    },

    // Run a page's steps up to `upto` (-1: all); a promise of their outcomes.
    run(manifest, upto, edits) {
      this.start();
      const id = this.next++;
      return new Promise((resolve, reject) => {
        // the run's clock starts when the worker starts it (runs go one at a time)
        const pending = { resolve, reject, timer: null };
        pending.arm = () => {
          pending.timer = setTimeout(
            () =>
              this.fail(
                `the example ran longer than ${this.runSeconds} s, so Python was stopped;` +
                  " the next Run starts it again",
              ),
            this.runSeconds * 1000,
          );
        };
        this.waiting.set(id, pending);
        this.worker.postMessage({
          id: id,
          page: manifest.page,
          steps: JSON.stringify(manifest.steps),
          flags: manifest.flags,
          upto: upto,
          edits: JSON.stringify(Object.fromEntries(edits || new Map())),
        });
      });
    },
  };

  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  function button(label, title, action) {
    const made = element("button", "fd-run__button", label);
    made.type = "button";
    made.title = title;
    made.addEventListener("click", action);
    return made;
  }

  // What one outcome shows under its block.
  function describe(outcome) {
    if (outcome.status === "skipped") return `skipped: ${outcome.reason}`;
    if (outcome.status === "not-run") return `not run in the browser: ${outcome.reason}`;
    let text = outcome.printed;
    if (outcome.result !== null && outcome.result !== undefined) {
      text += (text && !text.endsWith("\n") ? "\n" : "") + outcome.result;
    }
    // an exception: the reader's line and the message; the traceback is one click away
    const error = outcome.summary || outcome.error;
    if (error) text += (text && !text.endsWith("\n") ? "\n" : "") + error;
    return text.replace(/\n$/, "") || "(ran; printed nothing)";
  }

  // The whole traceback of a failed outcome with a summary, folded under it.
  function traceback(outcome) {
    if (!outcome.summary || !outcome.error) return null;
    const folded = element("details", "fd-run__traceback");
    folded.append(element("summary", "", "Full traceback"), element("pre", "", outcome.error));
    return folded;
  }

  // The example's static output block, if the page has one right after it: a code block
  // titled "Output" (or of class output), the form the harness checks.
  function staticOutput(block) {
    const next = block.nextElementSibling;
    if (!next || !next.matches(".highlight, pre")) return null;
    const title = next.querySelector(".filename");
    const named = title && title.textContent.trim().toLowerCase() === "output";
    return named || next.classList.contains("output") ? next : null;
  }

  // Exercises (forkdocs/doctools/grammar/exercises.py): a badge over each one's code, a
  // Check button that runs the reader's code and then the page's checker, and the reader's
  // progress, kept in this browser only (localStorage; nothing is sent anywhere).
  const KINDS = { predict: "predict", change: "change the code", explain: "explain with the machine" };
  const progress = {
    key: (manifest, step) => `forkdocs:solved:${manifest.page}:${step.line}`,
    has(manifest, step) {
      try {
        return localStorage.getItem(this.key(manifest, step)) === "1";
      } catch (error) {
        return false; // storage refused (private mode, file://): nothing is kept
      }
    },
    mark(manifest, step) {
      try {
        localStorage.setItem(this.key(manifest, step), "1");
      } catch (error) {
        /* nothing is kept */
      }
    },
  };

  // "Solved on this page: 1 of 3", under the page's Exercises heading.
  function countSolved(manifest) {
    const exercises = manifest.steps.filter((step) => step.kind === "exercise");
    const heading = document.getElementById("exercises");
    if (!exercises.length || !heading) return;
    let counter = document.querySelector(".fd-exercise__count");
    if (!counter) {
      counter = element("p", "fd-exercise__count");
      counter.setAttribute("aria-live", "polite");
      heading.after(counter);
    }
    const solved = exercises.filter((step) => progress.has(manifest, step)).length;
    counter.textContent = `Solved on this page: ${solved} of ${exercises.length} (kept in this browser only)`;
  }

  // The folded answer of a predict exercise: the first details after its code titled Answer.
  function answerOf(bar) {
    for (let next = bar.nextElementSibling; next && !/^H[1-6]$/.test(next.tagName); next = next.nextElementSibling) {
      const summary = next.matches("details") && next.querySelector("summary");
      if (summary && /answer/i.test(summary.textContent)) return next;
    }
    return null;
  }

  // What Check (or a predict exercise's Run) shows, and the progress it keeps.
  function judge(manifest, step, outcome, output, badge) {
    let text = describe(outcome);
    let status = outcome.status;
    if (outcome.verdict === "solved") text = `✓ Solved: the checker is satisfied.${outcome.printed ? "\n" + outcome.printed.replace(/\n$/, "") : ""}`;
    if (outcome.verdict === "unsolved") text = `Not yet: ${outcome.summary}`;
    const predicted = step.check === null && outcome.status === "passed";
    if (outcome.verdict === "solved" || predicted) {
      progress.mark(manifest, step);
      badge.classList.add("fd-exercise__badge--solved");
      countSolved(manifest);
    }
    if (outcome.verdict === "unsolved") status = "unsolved";
    output.textContent = text;
    output.className = `fd-run__output fd-run__output--${status}`;
  }

  function setUp() {
    const data = document.querySelector("template.fd-steps");
    if (!data) return;
    const manifest = JSON.parse(data.content.textContent);
    const edits = new Map();
    for (const pre of document.querySelectorAll("pre[data-fd-step]:not([data-fd-ready])")) {
      pre.dataset.fdReady = "";
      const index = Number(pre.dataset.fdStep);
      const step = manifest.steps[index];
      const block = pre.closest(".highlight") || pre;
      const shown = staticOutput(block);
      const bar = element("div", "fd-run");
      block.after(bar);
      const exercise = step.kind === "exercise";
      const badge = element("p", "fd-exercise__badge");
      if (exercise) {
        const [kind, level] = step.exercise.split(" ");
        badge.append(
          element("span", "fd-exercise__kind", `Exercise: ${KINDS[kind] || kind}`),
          element("span", `fd-exercise__level fd-exercise__level--${level}`, level),
          element("span", "fd-exercise__solved", "✓ solved"),
        );
        if (progress.has(manifest, step)) badge.classList.add("fd-exercise__badge--solved");
        block.before(badge);
      }
      if (location.protocol === "file:") {
        bar.append(
          element(
            "span",
            "fd-run__note",
            "To run this example here, serve the site instead of opening its files:" +
              " python3 -m http.server --directory site, then open localhost:8000",
          ),
        );
        continue;
      }
      if (step.browser) {
        bar.append(element("span", "fd-run__note", `Runs under pytest only: ${step.browser}`));
        continue;
      }
      if (step.skip !== null && step.condition === null) {
        bar.append(element("span", "fd-run__note", `Not run: ${step.skip}`));
        continue;
      }
      const output = element("pre", "fd-run__output");
      output.setAttribute("role", "status");
      output.setAttribute("aria-live", "polite");
      output.hidden = true;
      let editor = null;
      const stale = element(
        "span",
        "fd-run__note fd-run__stale",
        "The page's output is hidden: it was printed by the page's code, not yours.",
      );
      stale.hidden = true;
      // the page's own Output box shows what the page's code printed: not once it is edited
      const markStale = (edited) => {
        if (!shown) return;
        shown.hidden = edited;
        stale.hidden = !edited;
      };

      // the code as the reader edits it: without Material's code-annotation markers
      // ("# (1)!"), which the highlighted block shows as numbered buttons
      const readable = step.source.replace(/[ \t]*# \(\d+\)!?[ \t]*$/gm, "");
      const foldAway = () => bar.querySelectorAll(".fd-run__traceback").forEach((t) => t.remove());
      const run = async () => {
        foldAway();
        output.hidden = false;
        output.className = "fd-run__output fd-run__output--running";
        const began = performance.now();
        const tick = () => {
          const seconds = ((performance.now() - began) / 1000).toFixed(0);
          output.textContent = python.ready
            ? "Running…"
            : `${python.progress}… ${seconds} s (only the first Run downloads Python)`;
        };
        tick();
        python.listeners.add(tick);
        const timer = setInterval(tick, 250);
        try {
          const outcomes = await python.run(manifest, index, edits);
          const mine = outcomes[outcomes.length - 1]; // says so when an example above failed
          if (exercise) {
            judge(manifest, step, mine, output, badge);
            const answer = step.check === null && answerOf(bar);
            if (answer) answer.open = true; // a prediction is made: now the answer and why
          } else {
            output.textContent = describe(mine);
            output.className = `fd-run__output fd-run__output--${mine.status}`;
          }
          const folded = traceback(mine);
          if (folded) output.after(folded);
          output.title = `${python.version}, ${(mine.seconds * 1000).toFixed(0)} ms`;
        } catch (error) {
          output.textContent = error.message;
          output.className = "fd-run__output fd-run__output--failed";
        } finally {
          clearInterval(timer);
          python.listeners.delete(tick);
        }
      };
      const edit = button("Edit", "Change this example's code, then Run it", () => {
        if (editor) return editor.focus();
        editor = element("textarea", "fd-run__editor");
        editor.value = edits.has(index) ? edits.get(index) : readable;
        editor.rows = Math.max(3, editor.value.split("\n").length + 1);
        editor.spellcheck = false;
        // every Run on the page uses the edit, this block's or a later one's
        editor.addEventListener("input", () => {
          edits.set(index, editor.value);
          markStale(editor.value !== readable);
        });
        editor.setAttribute("aria-label", `Code of the example at line ${step.line}`);
        editor.addEventListener("keydown", (event) => {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            run();
          }
        });
        pre.hidden = true;
        pre.after(editor);
        edit.disabled = true;
        editor.focus();
      });
      const reset = button("Reset", "Back to the page's code", () => {
        edits.delete(index);
        markStale(false);
        if (editor) editor.remove();
        editor = null;
        pre.hidden = false;
        edit.disabled = false;
        output.hidden = true;
        output.textContent = "";
        foldAway();
      });
      if (exercise && step.check !== null) {
        bar.append(button("Check", "Run your code, then the checker that says what is still wrong", run));
      } else if (exercise) {
        bar.append(button("Run", "Predict what it prints first: Run shows it, and opens the answer", run));
      } else {
        bar.append(button("Run", "Run this example (and the ones above it) in your browser", run));
      }
      bar.append(edit, reset, stale, output);
    }
    countSolved(manifest);
  }

  // for the CI test: run any page's steps in this page's interpreter
  window.forkdocsRunner = {
    run: (manifest, upto) => python.run(manifest, upto === undefined ? -1 : upto),
    status: () => ({ ready: python.ready, version: python.version }),
  };
  // Material's instant navigation swaps pages without loading this script again: it tells
  // through document$ (and the interpreter, already started, stays). The page itself is set
  // up on load as well: a page opened from a file gets no document$ event. (setUp only
  // touches blocks it has not set up yet.)
  if (window.document$) window.document$.subscribe(setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
