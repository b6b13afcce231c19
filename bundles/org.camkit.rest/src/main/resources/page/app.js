'use strict';
// camkit's page: an image and the API's own lists of models, methods, layers and targets go to
// POST v1/models/{name}:explain (or :compare); the overlay is shown beside the original. Plain DOM, no framework.

const $ = id => document.getElementById(id);
const POLL_MS = 200;

const state = {
  image: null,      // {name, b64} of the chosen file: every request reuses it
  methods: [],      // GET v1/plugins/methods
  seq: 0,           // the latest request; answers to older ones are dropped
  requestId: null,  // the request now running, for its progress and Cancel
  mapUrl: null,     // the Blob URL of the map download
};

// An error answer of the API: {error, culprit, choices}, and its HTTP status.
class ApiError extends Error {
  constructor(body, status) {
    super(body.error);
    this.body = body;
    this.status = status;
  }
}

// the token field, when the server asks for one (it does beyond loopback)
function headers(json) {
  const token = $('token').value.trim();
  return {...(json ? {'Content-Type': 'application/json'} : {}), ...(token ? {Authorization: `Bearer ${token}`} : {})};
}

async function api(path, body) {
  const response = await fetch(path, body === undefined ? {headers: headers(false)}
    : {method: 'POST', headers: headers(true), body: JSON.stringify(body)});
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    throw new ApiError(json && typeof json.error === 'string' ? json
      : {error: `${response.status} ${response.statusText}: ${text.slice(0, 200)}`}, response.status);
  }
  return json;
}

function element(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined) {
    e.textContent = text;
  }
  if (className) {
    e.className = className;
  }
  return e;
}

function option(value, text) {
  const e = element('option', text === undefined ? value : text);
  e.value = value;
  return e;
}

function row(...cells) {
  const tr = element('tr');
  cells.forEach((text, i) => tr.appendChild(element(i === 0 ? 'th' : 'td', text)));
  return tr;
}

function showError(error) {
  const body = error instanceof ApiError ? error.body : {error: error.message};
  $('error-message').textContent = body.error;
  const choices = Array.isArray(body.choices) && body.choices.length ? `Choices: ${body.choices.join(', ')}.` : '';
  $('error-detail').textContent = choices;
  $('error').hidden = false;
  if (error.status === 401) {
    $('token-box').open = true;
    $('token').focus();
  }
}

function clearError() {
  $('error').hidden = true;
  $('error-message').textContent = '';
}

// ---- lists from the API ----

async function loadLists() {
  const [models, methods] = await Promise.all([api('v1/models'), api('v1/plugins/methods')]);
  state.methods = methods;
  $('model').replaceChildren(...models.map(m =>
    option(m.name, `${m.name} (${m.backend}${m.detector ? ', detector' : ''})`)));
  $('method').replaceChildren(...methods.map(m => option(m.name)));
  if (methods.some(m => m.name === 'gradcam')) {
    $('method').value = 'gradcam';
  }
  // compare the one-pass methods by default: a method that batches forward passes takes long
  $('compare-methods').replaceChildren(...methods.map(m => {
    const box = element('input');
    box.type = 'checkbox';
    box.value = m.name;
    box.checked = !m.details.includes('option batch-size');
    const label = element('label');
    label.append(box, ` ${m.name}`);
    return label;
  }));
  methodChanged(false);
  await modelChanged(false);
}

async function modelChanged(run = true) {
  $('layer').replaceChildren(option('', 'loading…'));
  const model = await api(`v1/models/${encodeURIComponent($('model').value)}`);
  $('layer').replaceChildren(option('', `default (${model.defaultLayer || 'the model\'s'})`),
    ...model.layers.map(l => option(l)));
  const kind = model.detector ? 'detection' : 'class';
  $('targets').replaceChildren(...model.labels.map(l => option(`${kind}:${l}`)));
  $('target-example').textContent = `${kind}:${model.labels[model.labels.length - 1] || 'duck'}`;
  $('target').value = '';
  if (run) {
    explain();
  }
}

function methodChanged(run = true) {
  const method = state.methods.find(m => m.name === $('method').value);
  const names = (method ? method.details : []).filter(d => d.startsWith('option ')).map(d => d.slice(7));
  $('options').value = '';
  $('options-hint').textContent = names.length ? `Options: ${names.join(', ')}` : 'This method takes no options.';
  if (run) {
    explain();
  }
}

// "a=1, b=x" → {a: "1", b: "x"}; empty → undefined
function parseOptions(text) {
  const options = {};
  for (const pair of text.split(',').map(p => p.trim()).filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at < 1) {
      throw new Error(`option '${pair}' is not name=value`);
    }
    options[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return Object.keys(options).length ? options : undefined;
}

// what explain and compare share; undefined fields stay out of the JSON
function parameters() {
  return {layer: $('layer').value || undefined, target: $('target').value.trim() || undefined,
    options: parseOptions($('options').value)};
}

// ---- the image ----

function choose(file) {
  if (!file) {
    return;
  }
  const reader = new FileReader();
  reader.onload = () => {
    const url = reader.result;
    state.image = {name: file.name, b64: url.slice(url.indexOf(',') + 1)};
    $('file-name').textContent = file.name;
    $('original').src = url;
    $('empty').hidden = true;
    $('views').hidden = false;
    $('explain').disabled = false;
    $('compare').disabled = false;
    explain();
  };
  reader.onerror = () => showError(new Error(`cannot read ${file.name}: ${reader.error}`));
  reader.readAsDataURL(file);
}

function stem() {
  return state.image.name.replace(/\.[^.]*$/, '') || 'image';
}

// ---- one request at a time, with progress: a new one cancels the one running (Compare waits for an explanation)

// resolves to 'answered', 'failed' (the error shown) or 'superseded' (a later request took over)
async function run(what, verb, parametersOf, onAnswer) {
  if (!state.image) {
    return 'failed';
  }
  cancel();
  clearError();
  const seq = ++state.seq;
  const requestId = `page-${Date.now().toString(36)}-${seq}`;
  let body;
  try {
    body = {instances: [{b64: state.image.b64}], parameters: {...parametersOf(), requestId}};
  } catch (e) {
    showError(e);
    return 'failed';
  }
  state.requestId = requestId;
  $('compare').disabled = true;
  $('progress').removeAttribute('value');
  $('progress-text').textContent = `${what}: starting…`;
  $('busy').hidden = false;
  poll(seq, requestId);
  let outcome = 'answered';
  try {
    const answer = await api(`v1/models/${encodeURIComponent($('model').value)}:${verb}`, body);
    if (seq === state.seq) {
      onAnswer(answer);
    }
  } catch (e) {
    if (seq === state.seq) {
      showError(e);
    }
    outcome = 'failed';
  }
  if (seq !== state.seq) {
    return 'superseded';
  }
  state.requestId = null;
  $('busy').hidden = true;
  $('compare').disabled = false;
  return outcome;
}

// GET v1/requests/{id} until the request answers (404 until the server has seen it)
function poll(seq, requestId) {
  setTimeout(async () => {
    if (seq !== state.seq || state.requestId !== requestId) {
      return;
    }
    try {
      const response = await fetch(`v1/requests/${encodeURIComponent(requestId)}`, {headers: headers(false)});
      if (response.ok && state.requestId === requestId) {
        const s = await response.json();
        if (s.total > 0) {
          $('progress').max = s.total;
          $('progress').value = s.done;
        }
        $('progress-text').textContent = `${s.task || s.state}: ${s.state}${s.total > 0 ? `, ${s.done} of ${s.total}` : ''}`;
      }
    } catch (e) {
      // the next poll tries again; the request's own answer reports failures
    }
    poll(seq, requestId);
  }, POLL_MS);
}

function cancel() {
  if (state.requestId) {
    fetch(`v1/requests/${encodeURIComponent(state.requestId)}`, {method: 'DELETE', headers: headers(false)})
      .catch(() => {});
    state.requestId = null;
  }
}

// ---- explain ----

async function explain() {
  const method = $('method').value;
  $('overlay').classList.add('stale');
  $('facts').classList.add('stale');
  $('overlay-caption').textContent = `${method}: explaining…`;
  const outcome = await run(method, 'explain',
    () => ({method, ...parameters(), outputs: ['overlay', 'map', 'json'], map: 'npy'}), show);
  if (outcome === 'failed') {
    $('overlay-caption').textContent = `${method}: failed`;
  }
}

function show(result) {
  const x = result.explanations[0];
  $('overlay').src = `data:image/png;base64,${x.overlay}`;
  $('overlay').dataset.method = result.method;
  $('overlay').classList.remove('stale');
  $('facts').classList.remove('stale');
  $('overlay-caption').textContent = `${result.method} at ${result.layers.join(', ')}`;
  $('prediction').textContent = x.label;
  const top = x.top || [];
  const low = Math.min(0, ...top.map(t => t.score));
  const high = Math.max(...top.map(t => t.score), low + 1e-9);
  $('top').replaceChildren(...top.map(t => {
    const bar = element('span', undefined, 'bar');
    bar.style.width = `${100 * (t.score - low) / (high - low)}%`;
    const item = element('li');
    item.append(element('span', t.label, 'label'), bar, element('span', t.score.toFixed(3), 'score'));
    return item;
  }));
  const score = typeof x.targetScore === 'number' ? `, score ${x.targetScore.toFixed(3)}` : '';
  const peak = x.peak ? `(${x.peak.x}, ${x.peak.y})` : 'none';
  const detections = x.detections && x.detections.length ? ` Detections: ${x.detections.length}.` : '';
  $('target-info').textContent = `Target: ${x.target || 'the predicted class'}${score}; `
    + `peak at ${peak} of ${x.width}×${x.height}.${detections}`;
  $('flat').hidden = !x.flat;
  $('flat').textContent = 'The map is flat: the method found nothing to weigh here.';
  $('timings').replaceChildren(...Object.entries(result.timingsMs).map(([stage, ms]) => row(stage, `${Math.round(ms)} ms`)),
    row('total', `${Math.round(result.totalMs)} ms`));
  downloads(x, result.method);
  $('facts').hidden = false;
}

function downloads(x, method) {
  if (state.mapUrl) {
    URL.revokeObjectURL(state.mapUrl);
  }
  const bytes = Uint8Array.from(atob(x.map), c => c.charCodeAt(0));
  state.mapUrl = URL.createObjectURL(new Blob([bytes], {type: 'application/octet-stream'}));
  $('download-map').href = state.mapUrl;
  $('download-map').download = `${stem()}-${method}.npy`;
  $('download-overlay').href = $('overlay').src;
  $('download-overlay').download = `${stem()}-${method}.png`;
}

// ---- compare ----

async function compare() {
  const methods = [...$('compare-methods').querySelectorAll('input:checked')].map(box => box.value);
  await run('compare', 'compare', () => ({methods, ...parameters()}), result => {
    $('grid').src = `data:image/png;base64,${result.grid}`;
    // the grid shows each method's time and score; its failures are spelled out here
    $('entries').replaceChildren(...result.entries.filter(e => e.error).map(e => row(e.method, e.error)));
    $('comparison').hidden = false;
    $('comparison').scrollIntoView({behavior: 'smooth'});
  });
}

// ---- wiring ----

function wire() {
  const drop = $('drop');
  $('file').addEventListener('change', () => choose($('file').files[0]));
  drop.addEventListener('dragover', e => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', e => {
    e.preventDefault();
    drop.classList.remove('over');
    choose(e.dataTransfer.files[0]);
  });
  $('model').addEventListener('change', () => modelChanged().catch(showError));
  $('method').addEventListener('change', () => methodChanged());
  $('layer').addEventListener('change', explain);
  for (const field of [$('target'), $('options')]) {
    field.addEventListener('keydown', e => {
      if (e.key === 'Enter') {
        explain();
      }
    });
  }
  $('explain').addEventListener('click', explain);
  $('compare').addEventListener('click', compare);
  $('cancel').addEventListener('click', cancel);
  $('token').addEventListener('change', () => loadLists().then(clearError, showError));
}

wire();
loadLists().catch(showError);
