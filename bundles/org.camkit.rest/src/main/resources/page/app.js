'use strict';
// camkit's page: an image and the API's own lists of models, methods, layers and targets go to
// POST v1/models/{name}:explain; the overlay is shown beside the original. Plain DOM, no framework, no build step.

const $ = id => document.getElementById(id);
const POLL_MS = 200;

const state = {
  image: null,      // {name, b64, url} of the chosen file: every explanation reuses it
  models: [],       // GET v1/models
  methods: [],      // GET v1/plugins/methods
  model: null,      // GET v1/models/{name} of the selected model (its layers)
  seq: 0,           // the latest explanation; answers to older ones are dropped
  requestId: null,  // the explanation now running, for progress and Cancel
  mapUrl: null,     // the Blob URL of the map download
};

// An error answer of the API: {error, culprit, choices}.
class ApiError extends Error {
  constructor(body) {
    super(body.error);
    this.body = body;
  }
}

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)};
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    throw new ApiError(json && typeof json.error === 'string' ? json
      : {error: `${response.status} ${response.statusText}: ${text.slice(0, 200)}`});
  }
  return json;
}

function option(value, text) {
  const element = document.createElement('option');
  element.value = value;
  element.textContent = text === undefined ? value : text;
  return element;
}

function cell(row, text, header) {
  const element = document.createElement(header ? 'th' : 'td');
  element.textContent = text;
  row.appendChild(element);
}

function showError(error) {
  const body = error instanceof ApiError ? error.body : {error: error.message};
  $('error-message').textContent = body.error;
  const choices = Array.isArray(body.choices) && body.choices.length ? ` Choices: ${body.choices.join(', ')}.` : '';
  $('error-detail').textContent = choices;
  $('error').hidden = false;
}

function clearError() {
  $('error').hidden = true;
  $('error-message').textContent = '';
}

// ---- lists from the API ----

async function loadLists() {
  [state.models, state.methods] = await Promise.all([api('v1/models'), api('v1/plugins/methods')]);
  $('model').replaceChildren(...state.models.map(m =>
    option(m.name, `${m.name} (${m.backend}${m.detector ? ', detector' : ''})`)));
  $('method').replaceChildren(...state.methods.map(m => option(m.name)));
  if (state.methods.some(m => m.name === 'gradcam')) {
    $('method').value = 'gradcam';
  }
  methodChanged(false);
  await modelChanged(false);
}

async function modelChanged(run = true) {
  const name = $('model').value;
  $('layer').replaceChildren(option('', 'loading…'));
  state.model = await api(`v1/models/${encodeURIComponent(name)}`);
  const model = state.model;
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

function parameters() {
  const layer = $('layer').value;
  const target = $('target').value.trim();
  return {layer: layer || undefined, target: target || undefined, options: parseOptions($('options').value)};
}

// ---- the image ----

function choose(file) {
  if (!file) {
    return;
  }
  const reader = new FileReader();
  reader.onload = () => {
    const url = reader.result;
    state.image = {name: file.name, url, b64: url.slice(url.indexOf(',') + 1)};
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

// ---- one explanation, with progress ----

async function explain() {
  if (!state.image) {
    return;
  }
  const seq = ++state.seq;
  cancel();
  clearError();
  const method = $('method').value;
  let body;
  try {
    const requestId = `page-${Date.now().toString(36)}-${seq}`;
    body = {instances: [{b64: state.image.b64}],
      parameters: {method, ...parameters(), outputs: ['overlay', 'map', 'json'], map: 'npy', requestId}};
    state.requestId = requestId;
  } catch (e) {
    showError(e);
    return;
  }
  $('overlay').classList.add('stale');
  $('facts').classList.add('stale');
  $('overlay-caption').textContent = `${method}: explaining…`;
  showBusy(`${method}: starting…`);
  poll(seq, body.parameters.requestId);
  try {
    const result = await api(`v1/models/${encodeURIComponent($('model').value)}:explain`, body);
    if (seq === state.seq) {
      show(result);
    }
  } catch (e) {
    if (seq === state.seq) {
      showError(e);
      $('overlay-caption').textContent = `${method}: failed`;
    }
  } finally {
    if (seq === state.seq) {
      state.requestId = null;
      $('busy').hidden = true;
    }
  }
}

function showBusy(text) {
  $('progress').removeAttribute('value');
  $('progress-text').textContent = text;
  $('busy').hidden = false;
}

// GET v1/requests/{id} until the explanation answers (404 until the server has seen the request)
function poll(seq, requestId) {
  setTimeout(async () => {
    if (seq !== state.seq || state.requestId !== requestId) {
      return;
    }
    try {
      const response = await fetch(`v1/requests/${encodeURIComponent(requestId)}`);
      if (response.ok && state.requestId === requestId) {
        const s = await response.json();
        if (s.total > 0) {
          $('progress').max = s.total;
          $('progress').value = s.done;
        }
        $('progress-text').textContent = `${s.task || s.state}: ${s.state}${s.total > 0 ? `, ${s.done} of ${s.total}` : ''}`;
      }
    } catch (e) {
      // the next poll tries again; the explanation's own answer reports failures
    }
    poll(seq, requestId);
  }, POLL_MS);
}

function cancel() {
  if (state.requestId) {
    fetch(`v1/requests/${encodeURIComponent(state.requestId)}`, {method: 'DELETE'}).catch(() => {});
    state.requestId = null;
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
  const best = Math.max(...top.map(t => t.score), 1e-9);
  $('top').replaceChildren(...top.map(t => {
    const item = document.createElement('li');
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.style.width = `${Math.max(0, 100 * t.score / best)}%`;
    item.append(Object.assign(document.createElement('span'), {className: 'label', textContent: t.label}), bar,
      Object.assign(document.createElement('span'), {className: 'score', textContent: t.score.toFixed(3)}));
    return item;
  }));
  const score = x.targetScore === null || x.targetScore === undefined ? '' : `, score ${x.targetScore.toFixed(3)}`;
  $('target-info').textContent = `Target: ${x.target || 'the predicted class'}${score}; peak at `
    + (x.peak ? `(${x.peak.x}, ${x.peak.y})` : 'none') + ` of ${x.width}×${x.height}.`
    + (x.detections && x.detections.length ? ` Detections: ${x.detections.length}.` : '');
  $('flat').hidden = !x.flat;
  $('flat').textContent = x.flat ? 'The map is flat: the method found nothing to weigh here.' : '';
  const rows = Object.entries(result.timingsMs).map(([stage, ms]) => [stage, ms]);
  rows.push(['total', result.totalMs]);
  $('timings').replaceChildren(...rows.map(([stage, ms]) => {
    const row = document.createElement('tr');
    cell(row, stage, true);
    cell(row, `${Math.round(ms)} ms`);
    return row;
  }));
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

// ---- the comparison grid ----

async function compare() {
  clearError();
  let body;
  try {
    body = {instances: [{b64: state.image.b64}], parameters: {methods: [], ...parameters()}};
  } catch (e) {
    showError(e);
    return;
  }
  $('compare').disabled = true;
  $('compare').textContent = 'Comparing every method…';
  try {
    const result = await api(`v1/models/${encodeURIComponent($('model').value)}:compare`, body);
    $('grid').src = `data:image/png;base64,${result.grid}`;
    $('entries').replaceChildren(...result.entries.map(e => {
      const row = document.createElement('tr');
      cell(row, e.method, true);
      cell(row, e.error ? e.error : `${Math.round(e.timeMs)} ms`);
      cell(row, e.targetScore === null || e.targetScore === undefined ? '' : `score ${e.targetScore.toFixed(3)}`);
      return row;
    }));
    $('comparison').hidden = false;
  } catch (e) {
    showError(e);
  } finally {
    $('compare').disabled = false;
    $('compare').textContent = 'Compare methods';
  }
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
}

wire();
loadLists().catch(showError);
