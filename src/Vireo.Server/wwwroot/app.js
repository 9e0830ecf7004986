// Vireo's web page: search the library, list videos with moments as chips, play a moment and mark it on a
// timeline that draws the saliency curve, quote the text that matched and follow the video's transcript. Plain JavaScript, no dependencies: it works offline.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { current: null, moment: null, transcriptOf: null };

/** Calls the API; on 401 asks for the API key once, exchanges it for a session cookie and retries. */
async function api(path, options = {}) {
  let response = await fetch(path, options);
  if (response.status === 401 && await unlock()) {
    response = await fetch(path, options);
  }
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
    throw new Error(`${response.status}: ${detail}`);
  }
  return response.status === 204 ? null : response.json();
}

function unlock() {
  const form = $("key-form");
  form.hidden = false;
  $("api-key").focus();
  return new Promise((resolve) => {
    form.onsubmit = async (event) => {
      event.preventDefault();
      const response = await fetch("/api/session", { method: "POST", headers: { "X-Api-Key": $("api-key").value } });
      form.hidden = response.ok;
      resolve(response.ok);
    };
  });
}

function time(seconds) {
  const s = Math.max(0, seconds);
  const m = Math.floor(s / 60);
  return `${m}:${(s - m * 60).toFixed(1).padStart(4, "0")}`;
}

/** A span of plain text (server text is never parsed as HTML). */
function label(className, text) {
  const span = document.createElement("span");
  span.className = className;
  span.textContent = text;
  return span;
}

function message(text, isError = false) {
  $("message").textContent = text;
  $("message").classList.toggle("error", isError);
}

/** A cluster's answer made without some shards says so, naming them (never a silent gap). */
function partial(missing) {
  const notice = $("partial");
  notice.hidden = !missing?.length;
  notice.textContent = missing?.length ? `partial: shard ${missing.join(", ")} did not answer` : "";
}

async function search(query) {
  message("Searching…");
  try {
    const answer = await api(`/api/search?q=${encodeURIComponent(query)}`);
    render(answer);
    partial(answer.missing_shards);
    const ms = answer.timings_ms ? Math.round(answer.timings_ms.total) : 0;
    message(answer.results.length ? `${answer.results.length} videos for “${answer.query}” (${ms} ms)` : "No indexed video yet.");
  } catch (error) {
    message(error.message, true);
  }
}

function render(answer) {
  const list = $("results");
  list.replaceChildren();
  for (const result of answer.results) {
    const item = document.createElement("li");
    item.className = "result";
    const thumbnail = document.createElement("img");
    thumbnail.src = result.thumbnail;
    thumbnail.alt = "";
    thumbnail.loading = "lazy";
    const body = document.createElement("div");
    const title = document.createElement("div");
    title.append(label("name", result.name), label("score", `score ${result.score.toFixed(3)}`));
    const chips = document.createElement("div");
    chips.className = "chips";
    chips.setAttribute("role", "group");
    chips.setAttribute("aria-label", `Moments in ${result.name}`);
    for (const [start, end, momentScore] of result.pred_relevant_windows) {
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "chip";
      chip.dataset.start = start;
      chip.dataset.end = end;
      chip.textContent = `${time(start)}–${time(end)}`;
      chip.title = `Play ${result.name} from ${time(start)} (score ${momentScore.toFixed(2)})`;
      chip.setAttribute("aria-pressed", "false");
      chip.addEventListener("click", () => play(result, start, end, chip));
      chips.append(chip);
    }
    body.append(title, chips);
    if (result.matched_text?.length) body.append(quotes(result, chips));
    item.append(thumbnail, body);
    list.append(item);
  }
}

/**
 * The timed text that matched, quoted with its channel and times (text only: never parsed as HTML). A click on a
 * quote plays the moment that holds it, or the quote itself when no moment does.
 */
function quotes(result, chips) {
  const list = document.createElement("ul");
  list.className = "quotes";
  for (const entry of result.matched_text) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "quote";
    button.dataset.start = entry.start;
    const text = document.createElement("q");
    text.textContent = entry.text;
    button.append(label("channel", entry.channel), label("times", `${time(entry.start)}–${time(entry.end)}`));
    // Found by its meaning rather than its words: say so, or the quote looks unrelated to the query.
    if (entry.matched_by === "meaning") button.append(label("match", "same meaning"));
    button.append(text);
    const chip = [...chips.children].find((c) => +c.dataset.start <= entry.start && entry.start < +c.dataset.end);
    button.addEventListener("click", () => chip ? chip.click() : play(result, entry.start, entry.end, null));
    item.append(button);
    list.append(item);
  }
  return list;
}

/** Plays the result's video from start and marks [start, end] on the timeline. */
function play(result, start, end, chip) {
  document.querySelectorAll(".chip[aria-pressed=true]").forEach((c) => c.setAttribute("aria-pressed", "false"));
  chip?.setAttribute("aria-pressed", "true");
  state.current = result;
  state.moment = { start, end };
  $("player-panel").hidden = false;
  $("player-title").textContent = result.name;
  $("moment-label").textContent = `Moment ${time(start)}–${time(end)}`;
  const video = $("player");
  const seek = () => {
    video.currentTime = start;
    video.play().catch(() => { /* autoplay refused: the user presses play */ });
    draw();
  };
  if (video.dataset.src !== result.stream) {
    video.dataset.src = result.stream;
    video.src = result.stream;
    video.addEventListener("loadedmetadata", seek, { once: true });
    loadTranscript(result.video_id);
  } else {
    seek();
  }
  draw();
}

/** Lists the video's timed text (all channels); a click on a line plays the video from the line's start. */
async function loadTranscript(videoId) {
  state.transcriptOf = videoId;
  const list = $("transcript");
  list.replaceChildren();
  $("transcript-panel").hidden = false;
  $("transcript-message").textContent = "Loading the transcript…";
  let answer;
  try {
    answer = await api(`/api/videos/${encodeURIComponent(videoId)}/transcript`);
  } catch (error) {
    if (state.transcriptOf === videoId) $("transcript-message").textContent = error.message;
    return;
  }
  if (state.transcriptOf !== videoId) return; // another video was chosen meanwhile
  $("transcript-message").textContent = answer.lines.length ? "" : "No timed text was indexed for this video.";
  for (const line of answer.lines) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "line";
    button.dataset.start = line.start;
    button.dataset.end = line.end;
    button.append(label("times", time(line.start)), label("channel", line.channel), label("text", line.text));
    button.addEventListener("click", () => {
      const video = $("player");
      video.currentTime = line.start;
      video.play().catch(() => { /* autoplay refused: the user presses play */ });
    });
    item.append(button);
    list.append(item);
  }
  follow();
}

/** Marks the transcript line being played and keeps it in view inside the list. */
function follow() {
  const now = $("player").currentTime || 0;
  const list = $("transcript");
  let current = null;
  for (const line of list.querySelectorAll(".line")) {
    if (+line.dataset.start <= now && now < +line.dataset.end) current = line;
  }
  const previous = list.querySelector(".line[aria-current=true]");
  if (previous === current) return;
  previous?.removeAttribute("aria-current");
  if (!current) return;
  current.setAttribute("aria-current", "true");
  const item = current.parentElement;
  if (item.offsetTop < list.scrollTop || item.offsetTop + item.offsetHeight > list.scrollTop + list.clientHeight) {
    list.scrollTop = item.offsetTop - list.clientHeight / 2;
  }
}

/** The saliency curve (one value per clip), the chosen moment and the play head. */
function draw() {
  const canvas = $("timeline");
  const result = state.current;
  if (!result) return;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = canvas.clientWidth * ratio;
  canvas.height = canvas.clientHeight * ratio;
  const g = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, duration = result.duration || 1;
  const x = (seconds) => (seconds / duration) * w;
  g.clearRect(0, 0, w, h);
  if (state.moment) {
    g.fillStyle = "rgba(237, 137, 54, 0.35)";
    g.fillRect(x(state.moment.start), 0, Math.max(2, x(state.moment.end) - x(state.moment.start)), h);
  }
  const values = result.pred_saliency_scores;
  if (values.length) {
    const lo = Math.min(...values), hi = Math.max(...values), span = hi - lo || 1;
    g.strokeStyle = "#2b6cb0";
    g.lineWidth = 2 * ratio;
    g.beginPath();
    values.forEach((value, i) => {
      const px = x(Math.min(duration, (i + 0.5) * result.clip_length));
      const py = h - 6 * ratio - ((value - lo) / span) * (h - 12 * ratio);
      if (i === 0) g.moveTo(px, py); else g.lineTo(px, py);
    });
    g.stroke();
  }
  const video = $("player");
  g.fillStyle = "#c53030";
  g.fillRect(x(video.currentTime || 0) - ratio, 0, 2 * ratio, h);
  canvas.setAttribute("aria-valuemax", duration.toFixed(1));
  canvas.setAttribute("aria-valuenow", (video.currentTime || 0).toFixed(1));
}

function seekBy(seconds) {
  const video = $("player");
  if (!state.current) return;
  video.currentTime = Math.min(Math.max(0, video.currentTime + seconds), state.current.duration);
  draw();
}

async function refreshStatus() {
  try {
    const status = await api("/api/library");
    const indexing = status.indexing;
    let text = `${status.indexed} videos indexed (${Math.round(status.indexed_seconds / 60)} min)`;
    if (indexing.state === "running" || indexing.state === "stopping") {
      text += ` · indexing ${indexing.files_done}/${indexing.files_total} (${Math.round(indexing.fraction * 100)} %)`;
    } else if (indexing.state !== "idle") {
      text += ` · indexing ${indexing.state}`;
    }
    $("library-status").textContent = text;
    $("index-start").disabled = indexing.state === "running" || indexing.state === "stopping" || status.roots.length === 0;
    $("index-stop").disabled = indexing.state !== "running";
  } catch (error) {
    $("library-status").textContent = error.message;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const query = $("query").value.trim();
    if (query) search(query);
  });
  $("player").addEventListener("timeupdate", () => { draw(); follow(); });
  $("player").addEventListener("seeked", () => { draw(); follow(); });
  window.addEventListener("resize", draw);
  const canvas = $("timeline");
  canvas.addEventListener("click", (event) => {
    if (!state.current) return;
    const box = canvas.getBoundingClientRect();
    $("player").currentTime = ((event.clientX - box.left) / box.width) * state.current.duration;
  });
  canvas.addEventListener("keydown", (event) => {
    const step = state.current?.clip_length || 2;
    if (event.key === "ArrowRight") { seekBy(step); event.preventDefault(); }
    if (event.key === "ArrowLeft") { seekBy(-step); event.preventDefault(); }
    if (event.key === "Home" && state.moment) { $("player").currentTime = state.moment.start; event.preventDefault(); }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && document.activeElement !== $("query")) { event.preventDefault(); $("query").focus(); }
  });
  $("index-start").addEventListener("click", async () => {
    try { await api("/api/indexing/start", { method: "POST" }); } catch (error) { message(error.message, true); }
    refreshStatus();
  });
  $("index-stop").addEventListener("click", async () => {
    try { await api("/api/indexing/stop", { method: "POST" }); } catch (error) { message(error.message, true); }
    refreshStatus();
  });
  refreshStatus();
  setInterval(refreshStatus, 3000);
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) { $("query").value = initial; search(initial); }
});
