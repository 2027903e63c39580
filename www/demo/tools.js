// Tools: a live code generator, a URI inspector, a QR reader and Google Authenticator
// import and export.
import { MAX_COUNTER, generatorOf, isMigration, isOtpauth, nameOf } from "/shared/accounts.js";
import { $, clearErrors, el, fieldError, sentence, write } from "/shared/dom.js";
import { decode, pixelsOfFile } from "/shared/qr.js";
import { buildMigrationUris, parseMigrationUri } from "/shared/twofa/migration.js";
import { qrSvg } from "/shared/twofa/qr.js";
import { Secret, Totp, buildUri, parseUri } from "/shared/twofa/twofa.js";
import { cameraScanner } from "./camera.js";
import { addToPhone, phoneUris } from "./phone.js";
import { clock, setStatus, spaced } from "./ui.js";

// --- Live code generator --------------------------------------------------------------

const gen = { generator: null, type: null, counter: 0n };

function showCodes(event) {
  event.preventDefault();
  clearErrors($("gen"));
  const input = $("gen-input").value.trim();
  let generator;
  let info;
  try {
    if (!input) throw new Error("enter a base32 secret or an otpauth:// URI");
    if (isOtpauth(input)) {
      let parsed;
      ({ parsed, generator } = generatorOf(input));
      gen.counter = parsed.type === "hotp" ? BigInt(parsed.counter) : 0n;
      gen.type = parsed.type;
      info = nameOf(parsed, "");
    } else {
      generator = new Totp({
        secret: input,
        algorithm: $("gen-algorithm").value,
        digits: Number($("gen-digits").value),
        period: Number($("gen-period").value),
      });
      gen.type = "totp";
    }
  } catch (err) {
    const field = err.code === "INVALID_PERIOD" ? "gen-period" : "gen-input";
    return fieldError(field, sentence(err.message));
  }
  gen.generator?.free();
  gen.generator = generator;
  const secret = generator.secret;
  const parts = [
    gen.type === "hotp" ? "Counter-based (HOTP)" : generator.encoder === "steam" ? "Steam Guard" : "Time-based (TOTP)",
    generator.algorithm,
    `${generator.digits} ${generator.encoder === "steam" ? "characters" : "digits"}`,
    gen.type === "totp" ? `every ${generator.period} s` : null,
    info || null,
    secret.isWeak ? `weak: a secret of ${secret.byteLength * 8} bits works, but new ones have at least 128` : null,
  ];
  secret.free();
  $("gen-info").textContent = parts.filter(Boolean).join(" · ");
  $("gen-next").hidden = gen.type !== "hotp";
  $("gen-out").hidden = false;
  tickGenerator();
}

export function tickGenerator() {
  const g = gen.generator;
  if (!g) return;
  if (gen.type === "hotp") {
    write($("gen-code"), spaced(g.generate(gen.counter)));
    write($("gen-seconds"), `counter ${gen.counter}`);
    $("gen-next").disabled = gen.counter >= MAX_COUNTER;
    $("gen-ring").style.strokeDashoffset = "0";
    return;
  }
  const now = clock.now();
  write($("gen-code"), spaced(g.generate(now)));
  const left = g.remaining(now);
  write($("gen-seconds"), `${Math.ceil(left / 1000)} s left`);
  $("gen-ring").style.strokeDashoffset = String(100 - (left / (g.period * 1000)) * 100);
}

// --- URI inspector --------------------------------------------------------------------

const EXAMPLE = "otpauth://totp/ACME:ada@example.com?secret=jbsw%20y3dp%20ehpk%203pxp&issuer=ACME%20Co&digits=8";

function inspect(event) {
  event?.preventDefault();
  clearErrors($("inspect"));
  const text = $("inspect-uri").value.trim();
  let parsed;
  let canonical;
  try {
    if (!text) throw new Error("enter an otpauth:// URI");
    parsed = parseUri(text);
    canonical = buildUri(parsed);
  } catch (err) {
    $("inspect-out").hidden = true;
    return fieldError("inspect-uri", sentence(err.message));
  }
  const secret = Secret.fromBase32(parsed.secret);
  const rows = [
    ["Type", parsed.type === "hotp" ? "HOTP (counter)" : parsed.encoder === "steam" ? "Steam Guard" : "TOTP (time)"],
    ["Issuer", parsed.issuer ?? "(none)"],
    ["Account", parsed.account || "(none)"],
    ["Secret", `${secret.toGrouped()} (${secret.byteLength * 8} bits)`],
    ["Algorithm", parsed.algorithm],
    ["Digits", String(parsed.digits)],
    parsed.type === "hotp" ? ["Counter", String(parsed.counter)] : ["Period", `${parsed.period} s`],
    parsed.image ? ["Image", parsed.image] : null,
    ["Canonical URI", canonical],
  ].filter(Boolean);
  secret.free();
  $("inspect-fields").replaceChildren(...rows.map(([k, v]) => el("div", {}, el("dt", {}, k), el("dd", {}, v))));
  $("inspect-warnings").replaceChildren(
    ...(parsed.warnings.length
      ? parsed.warnings.map((w) => el("li", { class: "warning" }, el("code", {}, w.code), ` ${w.message}`))
      : [el("li", { class: "muted" }, "No warnings.")]),
  );
  $("inspect-qr").innerHTML = qrSvg(canonical);
  $("inspect-out").hidden = false;
}

// --- QR reader ------------------------------------------------------------------------

let camera;

function showFound(texts) {
  setStatus("reader-status", texts.length ? `Found ${texts.length} QR code${texts.length === 1 ? "" : "s"}.` : "No QR code found in this picture.", texts.length ? "ok" : "");
  $("reader-results").replaceChildren(
    ...texts.map((text) => {
      const actions = [];
      if (isOtpauth(text)) {
        actions.push(el("button", { type: "button", class: "small secondary", onclick: () => openIn("inspect-uri", text, inspect) }, "Inspect"));
        actions.push(el("button", { type: "button", class: "small secondary", onclick: (e) => addFound(text, e.target) }, "Add to the demo phone"));
      } else if (isMigration(text)) {
        actions.push(el("button", { type: "button", class: "small secondary", onclick: () => openIn("import-uri", text, readImport) }, "Import"));
      }
      return el("li", {}, el("code", { class: "found" }, text), el("div", { class: "row-actions" }, ...actions));
    }),
  );
}

function openIn(id, text, run) {
  $(id).value = text;
  run();
  $(id).scrollIntoView({ block: "center" });
  $(id).focus();
}

function addFound(text, button) {
  try {
    const a = addToPhone(text);
    button.textContent = "Added";
    button.disabled = true;
    setStatus("reader-status", `Added ${a.issuer ?? a.account} to the demo phone.`, "ok");
  } catch (err) {
    setStatus("reader-status", `Not added: ${err.message}.`, "bad");
  }
}

async function readFile() {
  clearErrors($("reader"));
  const file = $("reader-file").files[0];
  if (!file) return;
  setStatus("reader-status", "Reading…");
  $("reader-results").replaceChildren();
  let image;
  try {
    image = await pixelsOfFile(file);
  } catch {
    setStatus("reader-status", "");
    return fieldError("reader-file", "This file is not a picture this browser can read.");
  }
  try {
    showFound(await decode(image));
  } catch (err) {
    setStatus("reader-status", "");
    fieldError("reader-file", `The picture could not be read: ${err.message}.`);
  }
}

async function startCamera() {
  clearErrors($("reader"));
  if (!navigator.mediaDevices?.getUserMedia) return fieldError("reader-file", "This browser gives no camera to pages; upload a picture instead.");
  const video = $("reader-video");
  camera = cameraScanner(video, {
    onFound: (texts) => {
      stopCamera();
      showFound(texts);
    },
    onError: (err) => setStatus("reader-status", `Still looking (${err.message}).`),
  });
  try {
    video.hidden = false;
    $("reader-stop").hidden = false;
    $("reader-camera").hidden = true;
    const scanner = camera;
    if ((await scanner.start()) && camera === scanner) setStatus("reader-status", "Point the camera at a QR code.");
  } catch (err) {
    stopCamera();
    const why = err.name === "NotAllowedError" ? "camera access was refused" : err.name === "NotFoundError" ? "no camera was found" : err.message;
    fieldError("reader-file", `The camera did not start: ${why}. Upload a picture instead.`);
  }
}

export function stopCamera() {
  camera?.stop();
  camera = undefined;
  $("reader-video").hidden = true;
  $("reader-stop").hidden = true;
  $("reader-camera").hidden = false;
  if ($("reader-status").textContent === "Point the camera at a QR code.") setStatus("reader-status", "Camera stopped.");
}

// --- Google Authenticator import and export -------------------------------------------

let imported = [];

function readImport(event) {
  event?.preventDefault();
  clearErrors($("import"));
  $("export-out").hidden = true;
  const text = $("import-uri").value.trim();
  let batch;
  try {
    if (!text) throw new Error("paste a link that starts with otpauth-migration://");
    batch = parseMigrationUri(text);
  } catch (err) {
    $("import-out").hidden = true;
    return fieldError("import-uri", sentence(err.message));
  }
  imported = batch.accounts;
  const part = batch.batchSize > 1 ? ` This is QR code ${batch.batchIndex + 1} of ${batch.batchSize}: scan the others too.` : "";
  $("import-summary").textContent = `${imported.length} account${imported.length === 1 ? "" : "s"} in this link.${part}`;
  $("import-accounts").tBodies[0].replaceChildren(
    ...imported.map((a) =>
      el("tr", {}, el("td", {}, a.issuer ?? "–"), el("td", {}, a.account || "–"), el("td", {}, a.type.toUpperCase()), el("td", {}, a.algorithm), el("td", {}, String(a.digits))),
    ),
  );
  $("import-warnings").replaceChildren(...batch.warnings.map((w) => el("li", { class: "warning" }, el("code", {}, w.code), ` ${w.message}`)));
  $("import-add").disabled = imported.length === 0;
  setStatus("import-status", "");
  $("import-out").hidden = false;
}

function addImported() {
  let added = 0;
  for (const account of imported) {
    try {
      addToPhone(buildUri(account));
      added += 1;
    } catch {
      // counted below
    }
  }
  const skipped = imported.length - added;
  setStatus("import-status", `Added ${added} account${added === 1 ? "" : "s"} to the demo phone.${skipped ? ` ${skipped} could not be added.` : ""}`, "ok");
}

/** The demo phone's accounts as Google Authenticator export QR codes, for a real phone. */
function exportPhone() {
  clearErrors($("import"));
  $("import-out").hidden = true;
  const accounts = phoneUris().map((uri) => parseUri(uri));
  if (!accounts.length) return fieldError("import-uri", "The demo phone has no accounts to export yet.");
  const { uris, warnings } = buildMigrationUris(accounts);
  $("export-summary").textContent =
    `${accounts.length - warnings.filter((w) => w.code === "UNREPRESENTABLE_ACCOUNT").length} account(s) in ${uris.length} QR code${uris.length === 1 ? "" : "s"}. ` +
    "Scan them with Google Authenticator's “Import accounts”." +
    warnings.map((w) => ` Account ${w.index + 1}: ${w.message}.`).join("");
  $("export-codes").replaceChildren(
    ...uris.map((uri, i) => {
      const figure = el("figure", { class: "qr", role: "img", "aria-label": `Export QR code ${i + 1} of ${uris.length}` });
      figure.innerHTML = qrSvg(uri, { ecc: "M" });
      return el("div", { class: "export-code" }, figure, el("p", { class: "muted" }, `Code ${i + 1} of ${uris.length}`),
        el("details", {}, el("summary", {}, "Show the link"), el("code", { class: "found" }, uri)));
    }),
  );
  $("export-out").hidden = false;
}

export function setUpTools() {
  $("gen").addEventListener("submit", showCodes);
  $("gen-next").addEventListener("click", () => {
    if (gen.counter < MAX_COUNTER) gen.counter += 1n;
    tickGenerator();
  });
  $("inspect").addEventListener("submit", inspect);
  $("inspect-example").addEventListener("click", () => {
    $("inspect-uri").value = EXAMPLE;
    inspect();
  });
  $("reader-file").addEventListener("change", readFile);
  $("reader-camera").addEventListener("click", startCamera);
  $("reader-stop").addEventListener("click", stopCamera);
  $("import").addEventListener("submit", readImport);
  $("import-add").addEventListener("click", addImported);
  $("import-export").addEventListener("click", exportPhone);
}
