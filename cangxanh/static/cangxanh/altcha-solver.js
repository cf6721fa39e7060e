/* Proof of work for the public forms (questions, consultation comments).

   Solves the server's ALTCHA challenge (PBKDF2/SHA-256, cangxanh/inbox/defences.py) with
   WebCrypto in a Web Worker, so the page stays responsive while a phone works for about
   half a second. This one file is both the page's script and the worker's: the page loads
   it as a module (<script type="module" src="…altcha-solver.js">) and starts a module
   worker from its own address (import.meta.url). The site's Content-Security-Policy has no
   worker-src, so workers fall under script-src, whose 'self' allows this file; no blob:
   worker, no inline script, no style.

   A form takes part through data- attributes the server writes (texts translated there):
     <form method="post" data-altcha-challenge="/…" data-altcha-field="altcha"
           data-altcha-working="…" data-altcha-done="…" data-altcha-failed="…">
       <input type="hidden" name="altcha">
       <p data-altcha-status role="status" aria-live="polite"></p>
   When the person starts filling the form, the script fetches a challenge, tries counters
   0, 1, 2… until PBKDF2(nonce + counter as 4 big-endian bytes, salt, cost) begins with the
   challenge's key prefix, and puts the payload in the hidden field: base64 of the JSON
   {challenge, solution: {counter, derivedKey}} that altcha.verify_solution reads. On
   submit, a missing or nearly expired proof is solved first. If it cannot be (no WebCrypto,
   a network error), the form is sent without it: the server sets the message aside for a
   person instead of refusing it. Without JavaScript none of this runs, and the same holds.
   A form is sent once: a second click while the page goes is ignored (its proof would be
   a replay, dropped by the server, and the person would lose the page that answers). */

const ALGORITHM = "PBKDF2/SHA-256";
const MAX_TRIES = 100000; // far above the server's counters: ends a broken challenge
const MARGIN_MS = 60000; // a proof this close to its expiry is solved again before sending
const HEX = /^(?:[0-9a-f]{2})+$/;

const inWorker =
  typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope;

function fromHex(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function toHex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function solve(parameters) {
  const prefix = String(parameters.keyPrefix || "").toLowerCase();
  if (
    parameters.algorithm !== ALGORITHM ||
    !HEX.test(parameters.nonce) ||
    !HEX.test(parameters.salt) ||
    !/^[0-9a-f]+$/.test(prefix) ||
    !(parameters.cost > 0)
  ) {
    throw new Error("unsupported challenge");
  }
  const nonce = fromHex(parameters.nonce);
  const salt = fromHex(parameters.salt);
  const bits = (parameters.keyLength || 32) * 8;
  const password = new Uint8Array(nonce.length + 4);
  password.set(nonce);
  const view = new DataView(password.buffer);
  const started = performance.now();
  for (let counter = 0; counter < MAX_TRIES; counter += 1) {
    view.setUint32(nonce.length, counter, false);
    // importKey copies the bytes, so the buffer can take the next counter.
    const key = await crypto.subtle.importKey("raw", password, "PBKDF2", false, ["deriveBits"]);
    const derived = toHex(
      await crypto.subtle.deriveBits(
        { name: "PBKDF2", hash: "SHA-256", salt, iterations: parameters.cost },
        key,
        bits
      )
    );
    if (derived.startsWith(prefix)) {
      return { counter, derivedKey: derived, time: Math.round(performance.now() - started) };
    }
  }
  throw new Error("no solution");
}

/* In a worker if the browser can, else here (still asynchronous). */
function solveAside(parameters) {
  return new Promise((resolve, reject) => {
    const here = () => solve(parameters).then(resolve, reject);
    let worker;
    try {
      worker = new Worker(import.meta.url, { type: "module" });
    } catch (error) {
      here();
      return;
    }
    worker.addEventListener("message", (event) => {
      worker.terminate();
      if (event.data && event.data.solution) resolve(event.data.solution);
      else reject(new Error((event.data && event.data.error) || "worker failed"));
    });
    // A browser without module workers fails to load it: solve on the page instead.
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      worker.terminate();
      here();
    });
    worker.postMessage(parameters);
  });
}

function encode(challenge, solution) {
  const bytes = new TextEncoder().encode(JSON.stringify({ challenge, solution }));
  let binary = "";
  bytes.forEach((b) => {
    binary += String.fromCharCode(b);
  });
  return btoa(binary);
}

function protect(form) {
  const field = form.elements.namedItem(form.getAttribute("data-altcha-field") || "altcha");
  if (!field) return;
  const status = form.querySelector("[data-altcha-status]");
  const say = (state) => {
    if (status) status.textContent = form.getAttribute(`data-altcha-${state}`) || "";
  };
  const possible = Boolean(self.crypto && crypto.subtle && self.fetch);
  let expires = 0;
  let running = null;
  let failed = false;
  let waiting = false;
  let sent = false;
  // A proof is good once: never send one the page came with (a form shown again).
  field.value = "";

  const fresh = () => field.value !== "" && Date.now() < expires - MARGIN_MS;

  const run = () => {
    if (running) return running;
    if (!possible) {
      failed = true;
      say("failed");
      return Promise.resolve();
    }
    say("working");
    running = fetch(form.getAttribute("data-altcha-challenge"), {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    })
      .then((response) => {
        if (!response.ok) throw new Error(`challenge: ${response.status}`);
        return response.json();
      })
      .then((challenge) =>
        solveAside(challenge.parameters).then((solution) => {
          field.value = encode(challenge, solution);
          const at = Number(challenge.parameters.expiresAt);
          expires = at > 0 ? at * 1000 : Infinity;
          failed = false;
          say("done");
        })
      )
      .catch(() => {
        field.value = "";
        failed = true;
        say("failed");
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  // Start while the person writes, not for everyone who merely opens the page.
  form.addEventListener(
    "focusin",
    () => {
      if (!fresh()) run();
    },
    { once: true }
  );

  form.addEventListener("submit", (event) => {
    // Sent once: a second click while the page is on its way would send the same proof
    // again, which the server drops, and the answer the person sees would be that one,
    // without their tracking code.
    if (sent) {
      event.preventDefault();
      return;
    }
    if (fresh() || (failed && !running)) {
      sent = true;
      return; // sent as it is
    }
    event.preventDefault();
    if (waiting) return; // a second click while the proof is being found
    waiting = true;
    const submitter = event.submitter && event.submitter.form === form ? event.submitter : null;
    run().then(() => {
      waiting = false;
      if (!fresh()) failed = true; // the server decides about a message without proof
      if (form.requestSubmit) {
        if (submitter) form.requestSubmit(submitter);
        else form.requestSubmit();
      } else {
        sent = true;
        form.submit();
      }
    });
  });

  // Back to this page from the browser's memory (the sending failed, or the person
  // went back): the proof went with the first sending, so the next one needs its own.
  self.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    sent = false;
    field.value = "";
    expires = 0;
  });
}

if (inWorker) {
  self.addEventListener("message", async (event) => {
    try {
      self.postMessage({ solution: await solve(event.data) });
    } catch (error) {
      self.postMessage({ error: String(error) });
    }
  });
} else {
  document.querySelectorAll("form[data-altcha-challenge]").forEach(protect);
}
