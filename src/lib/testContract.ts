/**
 * The testing contract: what other tools (and our own end-to-end tests) drive the app by — every
 * `data-testid`, `data-metric` and `data-stage` value and every URL parameter, each with its meaning.
 *
 * This list is the one source. docs/testing-contract.md holds tables generated from it
 * (`npm run docs:contract`), and tests/unit/testContract.test.ts fails when the list, those tables
 * and the attributes in src/ disagree in any direction. Tests may import it to name what they
 * select: `byTestId('result')` is typed, so a renamed id fails the type check.
 *
 * A family of values is written with a placeholder in braces, `tab-{view}`, and lists its values.
 *
 * Longer than 300 lines because it is one table, a row per contract value: split, it would be
 * several lists to keep in step instead of one.
 */

export interface ContractEntry {
  /** Where it is on the page; the generated doc has one table per area. */
  readonly area: string;
  /** The attribute's value, or a family's template such as `tab-{view}`. */
  readonly value: string;
  /** For a family: every value the placeholder takes. */
  readonly values?: readonly (string | number)[];
  /** The element's other attributes, as a selector names them. */
  readonly with?: string;
  /** One line: what it is. */
  readonly meaning: string;
}

export interface UrlParameter {
  readonly area: string;
  readonly key: string;
  /** The value's form, as the doc shows it after `key=`. */
  readonly form: string;
  /** A query string that sets this parameter to something other than its default. */
  readonly example: string;
  readonly meaning: string;
}

/** Keeps the literal types, so ids can be checked at compile time. */
function list<const T extends readonly ContractEntry[]>(entries: T): T {
  return entries;
}

export const URL_PARAMETERS = [
  { area: 'what is loaded', key: 'catalogue', form: '<id>', example: 'catalogue=mine', meaning: 'the catalogue' },
  { area: 'what is loaded', key: 'model', form: '<id>', example: 'model=x', meaning: 'the embedding model' },
  {
    area: 'what is loaded',
    key: 'limit',
    form: '<n>',
    example: 'limit=50',
    meaning: 'index only the first n images of the catalogue',
  },
  {
    area: 'what is loaded',
    key: 'backend',
    form: 'wasm|webgl|cpu',
    example: 'backend=webgl',
    meaning: 'the TensorFlow.js backend of the embedding workers (default: the fastest that starts)',
  },
  {
    area: 'what is loaded',
    key: 'workers',
    form: '<n>',
    example: 'workers=1',
    meaning: 'how many embedding workers (default: one per core)',
  },
  {
    area: 'what is loaded',
    key: 'precomputed',
    form: '0',
    example: 'precomputed=0',
    meaning:
      "embed in the browser even when the catalogue ships a precomputed bundle: the bundle is not read (browser storage still is); the bench's cold start in the browser",
  },
  { area: 'search knobs', key: 'k', form: '<n>', example: 'k=5', meaning: 'results per engine (default 10)' },
  {
    area: 'search knobs',
    key: 'M',
    form: '<n>',
    example: 'M=8',
    meaning: 'HNSW M: links per node (default 16)',
  },
  {
    area: 'search knobs',
    key: 'efc',
    form: '<n>',
    example: 'efc=100',
    meaning: 'HNSW efConstruction: candidate list while building (default 200)',
  },
  {
    area: 'search knobs',
    key: 'ef',
    form: '<n>',
    example: 'ef=32',
    meaning: 'HNSW efSearch: candidate list while searching (default 64)',
  },
  {
    area: 'search knobs',
    key: 'engines',
    form: 'exact,hnsw,sq8,binary,binary-rescore,pq',
    example: 'engines=hnsw',
    meaning:
      'the engines shown as result columns, a comma list in any order (shown in the fixed order exact, hnsw, …; default exact,hnsw); exact is searched in any case, as the reference',
  },
  {
    area: 'query and view',
    key: 'q',
    form: '<catalogue id>',
    example: 'q=12',
    meaning: 'the query, a catalogue image (an image you gave cannot be named in a URL)',
  },
  {
    area: 'query and view',
    key: 'crop',
    form: 'x,y,w,h',
    example: 'q=12&crop=10,20,100,80',
    meaning: "the query's region in the image's natural pixels (EXIF orientation applied); only with q",
  },
  {
    area: 'query and view',
    key: 'view',
    form: 'search|pipeline|training|map|evaluation|sweep|scale|quantization|online|models|storage',
    example: 'view=pipeline',
    meaning: 'the open tab',
  },
  { area: 'query and view', key: 'present', form: '1', example: 'present=1', meaning: 'presenter mode (large type)' },
  {
    area: 're-ranking',
    key: 'rerank',
    form: '0',
    example: 'rerank=0',
    meaning: 're-ranking off, the other re-ranking settings kept',
  },
  {
    area: 're-ranking',
    key: 'dedup',
    form: '<cosine in [0,1]>',
    example: 'dedup=0.95',
    meaning: 'near-duplicate threshold (absent: off)',
  },
  {
    area: 're-ranking',
    key: 'mmr',
    form: '<λ in [0,1]>',
    example: 'mmr=0.7',
    meaning: 'diversity by MMR, λ = 1 ranks by similarity only (absent: off)',
  },
  {
    area: 're-ranking',
    key: 'hide',
    form: '<label>',
    example: 'hide=chair',
    meaning: 'a hidden label; repeated, one per label',
  },
  {
    area: 're-ranking',
    key: 'private',
    form: '<id,id,…>',
    example: 'private=1,2',
    meaning: 'catalogue ids marked private',
  },
  {
    area: 're-ranking',
    key: 'flagged',
    form: '<id,id,…>',
    example: 'flagged=3',
    meaning: 'catalogue ids marked flagged',
  },
  {
    area: 'fault injection',
    key: 'crash',
    form: '<n>',
    example: 'crash=2',
    meaning: 'the first embedding worker dies on its n-th batch',
  },
  {
    area: 'fault injection',
    key: 'loseContext',
    form: '<n>',
    example: 'loseContext=2',
    meaning: 'the first embedding worker loses its WebGL context before its n-th batch; use with backend=webgl',
  },
  {
    area: 'search by words',
    key: 'tags',
    form: '<words>',
    example: 'tags=cheetah',
    meaning: 'the tag query (ImageNet and COCO class names, prefix match); its results replace an image query',
  },
  {
    area: 're-ranking',
    key: 'tagged',
    form: '<words>',
    example: 'tagged=cheetah',
    meaning: 'only results with a tag these words name',
  },
  {
    area: 'object detection',
    key: 'objects',
    form: '1',
    example: 'objects=1',
    meaning:
      'object-level index entries on: every catalogue image detected, each box at or above 0.3 one more vector in both indexes',
  },
] as const satisfies readonly UrlParameter[];

export const TEST_IDS = list([
  // Status bar and pipeline state
  {
    area: 'status',
    value: 'index-status',
    with: '[data-state=loading|embedding|indexing|ready|error]',
    meaning: 'the pipeline state',
  },
  {
    area: 'status',
    value: 'embed-progress',
    meaning: 'while embedding: images done / total, images/s, time left',
  },
  {
    area: 'status',
    value: 'cancel-embedding',
    meaning: 'while embedding: stop and index what is already embedded',
  },
  {
    area: 'status',
    value: 'cancel-rebuild',
    meaning: 'while an index rebuild runs: cancel it, the old index keeps serving',
  },
  {
    area: 'status',
    value: 'index-saved',
    meaning: 'index and embeddings are kept for the next visit',
  },
  {
    area: 'status',
    value: 'storage-notice',
    meaning: 'storage unavailable or full, or a saved index rebuilt',
  },
  {
    area: 'status',
    value: 'backend-notice',
    meaning: 'embedding moved to another backend, e.g. after a lost WebGL context',
  },
  { area: 'status', value: 'error-screen', meaning: 'the page could not start: what is missing and the fix' },
  // Catalogue
  {
    area: 'catalogue',
    value: 'catalogue-grid',
    with: '[data-virtual=true|false][aria-busy=true|false]',
    meaning:
      'the catalogue; with data-virtual=true (above 3,000 images) only tiles near the view are in the page; aria-busy=true while it is still adding tiles, a slice per task (at start, and again when the Search tab opens): wait for aria-busy=false before reading every tile',
  },
  {
    area: 'catalogue',
    value: 'catalogue-item',
    with: '[data-id][data-label]',
    meaning: 'a catalogue tile; a click makes it the query',
  },
  {
    area: 'catalogue',
    value: 'delete-item',
    with: '[data-id]',
    meaning: 'on each catalogue tile: delete the image from both engines',
  },
  {
    area: 'catalogue',
    value: 'skipped-item',
    with: '[data-id][data-reason=empty-file|unsupported-format|fetch-failed|too-large|decode-failed|worker-crashed]',
    meaning: 'a catalogue file that was not indexed, and why',
  },
  // Own images
  {
    area: 'own images',
    value: 'own-catalogue',
    meaning: 'the panel for your own images; a folder or images can be dropped on it',
  },
  {
    area: 'own images',
    value: 'choose-folder',
    meaning: 'button: pick a folder (the directory picker where the browser has one)',
  },
  {
    area: 'own images',
    value: 'folder-input',
    with: 'input[type=file][webkitdirectory]',
    meaning: 'the folder input: its files become the catalogue',
  },
  {
    area: 'own images',
    value: 'add-images',
    with: 'input[type=file]',
    meaning: 'adds single images to the current catalogue',
  },
  {
    area: 'own images',
    value: 'live-indexing',
    with: '[data-state=running|paused|done|stopped][data-done][data-total]',
    meaning: 'the indexing pipeline of your images',
  },
  {
    area: 'own images',
    value: 'reopen-folder',
    with: '[data-name]',
    meaning: 'button: reopen the folder an earlier visit used, from its kept directory handle and embeddings',
  },
  { area: 'own images', value: 'forget-folder', meaning: 'button: stop offering to reopen that folder' },
  {
    area: 'own images',
    value: 'folder-lost',
    with: '[data-name]',
    meaning: 'the folder an earlier visit used lived in that page only (no handle kept): pick it again',
  },
  { area: 'own images', value: 'indexing-pause', meaning: 'pause / resume the indexing pipeline' },
  { area: 'own images', value: 'indexing-stop', meaning: 'stop the indexing pipeline' },
  {
    area: 'own images',
    value: 'ignored-count',
    with: '[data-count]',
    meaning: 'files not JPEG, PNG or WebP by name, ignored',
  },
  // Query
  { area: 'query', value: 'query-panel', meaning: 'the query panel; an image can be dropped on it' },
  { area: 'query', value: 'query-file', with: 'input[type=file]', meaning: 'query upload' },
  { area: 'query', value: 'query-image', meaning: 'the current query image' },
  { area: 'query', value: 'query-name', meaning: "the current query's name" },
  { area: 'query', value: 'query-error', meaning: 'a query that could not run, and why' },
  { area: 'query', value: 'crop-toggle', meaning: 'button: open or close the crop editor' },
  { area: 'query', value: 'crop-editor', meaning: 'the crop editor' },
  { area: 'query', value: 'crop-image', meaning: 'the image the crop is drawn on' },
  {
    area: 'query',
    value: 'crop-box',
    with: '[data-crop=x,y,w,h][data-searched=true|false]',
    meaning: 'the current crop, natural pixels; data-searched=false while drawn or nudged but not yet searched',
  },
  {
    area: 'query',
    value: 'crop-preview',
    with: '[data-crop]',
    meaning: 'the 224×224 model input of the searched crop (data-crop empty: whole image)',
  },
  { area: 'query', value: 'crop-start', meaning: 'button: a centred crop, focused for the keyboard' },
  { area: 'query', value: 'crop-search', meaning: 'button: search the crop' },
  { area: 'query', value: 'crop-clear', meaning: 'button: search the whole image' },
  { area: 'query', value: 'webcam-open', meaning: 'button: open the camera panel' },
  { area: 'query', value: 'webcam-panel', meaning: 'the camera panel' },
  { area: 'query', value: 'webcam-video', meaning: 'the camera preview' },
  { area: 'query', value: 'webcam-snap', meaning: 'button: take a snapshot as the query' },
  { area: 'query', value: 'webcam-close', meaning: 'button: close the panel (stops the camera)' },
  { area: 'query', value: 'webcam-error', meaning: 'no camera, or permission denied' },
  {
    area: 'query',
    value: 'history-item',
    with: '[data-id][data-crop]',
    meaning: 'a past query, newest first; data-id empty for an image you gave',
  },
  { area: 'query', value: 'history-back', meaning: 'button: back to the query before' },
  // Controls
  { area: 'controls', value: 'catalogue-select', meaning: 'the catalogue menu (starts over)' },
  { area: 'controls', value: 'model-select', meaning: 'the model menu (starts over)' },
  { area: 'controls', value: 'backend-select', meaning: 'the backend menu (starts over)' },
  {
    area: 'controls',
    value: 'knob-{key}',
    values: ['k', 'ef', 'M', 'efc'],
    with: 'input[type=number]',
    meaning: 'k and the HNSW knobs, named by their URL keys',
  },
  {
    area: 'controls',
    value: 'engine-toggle',
    with: '[data-engine=exact|hnsw|sq8|binary|binary-rescore|pq]',
    meaning: "checkbox: show or hide that engine's result column (engines=; the last shown cannot be hidden)",
  },
  // Results
  {
    area: 'results',
    value: 'results-{engine}',
    values: ['exact', 'hnsw', 'sq8', 'binary', 'binary-rescore', 'pq'],
    meaning:
      "a result column's header: the engine, its query time (warm median of 7 and first run) and, for HNSW, recall@k; the column's results are in the result-rows",
  },
  {
    area: 'results',
    value: 'result-row',
    with: '[data-rank]',
    meaning: "one rank across the columns: groups the engines' results of that rank, side by side",
  },
  {
    area: 'results',
    value: 'result',
    with: '[data-engine=exact|hnsw|sq8|binary|binary-rescore|pq|tags][data-rank][data-id][data-label][data-score]',
    meaning:
      'a result after re-ranking; data-score is the cosine similarity to the query (for tags: the summed probability of the matching tags); with objects=1, a hit on an object entry also has [data-object=1][data-box=x,y,w,h] (the box in natural pixels, outlined on the picture)',
  },
  {
    area: 'results',
    value: 'missed-result',
    with: '[data-id][data-label][data-score][data-missed-by=hnsw]',
    meaning: 'an exact result HNSW missed, marked on that exact result in its own row',
  },
  // Re-ranking
  { area: 're-ranking', value: 'rerank-toggle', meaning: 'checkbox: re-ranking on / off' },
  { area: 're-ranking', value: 'dedup-toggle', meaning: 'checkbox: near-duplicate removal' },
  { area: 're-ranking', value: 'knob-dedup', meaning: 'the near-duplicate cosine threshold' },
  { area: 're-ranking', value: 'mmr-toggle', meaning: 'checkbox: diversity by MMR' },
  { area: 're-ranking', value: 'knob-mmr', meaning: "MMR's λ" },
  { area: 're-ranking', value: 'hide-label', with: '[data-label]', meaning: 'checkbox: hide a label' },
  { area: 're-ranking', value: 'mark-private', meaning: 'inside each result: mark it private' },
  { area: 're-ranking', value: 'mark-flagged', meaning: 'inside each result: mark it flagged' },
  { area: 're-ranking', value: 'clear-marks', meaning: 'button: clear every private and flagged mark' },
  {
    area: 're-ranking',
    value: 'removed-item',
    with: '[data-engine=exact|hnsw][data-id][data-label][data-reason=private|flagged|hidden-label|near-duplicate][data-rank][data-duplicate-of]',
    meaning: 'a candidate re-ranking removed; data-rank among the candidates, data-duplicate-of for near-duplicates',
  },
  { area: 're-ranking', value: 'unmark', meaning: 'inside a private or flagged removed item: undo the mark' },
  // Pipeline tab
  { area: 'pipeline', value: 'pipeline-view', meaning: 'the Pipeline tab; its boxes carry data-stage' },
  {
    area: 'pipeline',
    value: 'stage-note',
    meaning: 'inside a stage: why it shows 0 ms (a catalogue image was embedded with the catalogue)',
  },
  { area: 'pipeline', value: 'stage-explanation', meaning: 'the explanation of the stage clicked' },
  { area: 'pipeline', value: 'rerank-steps', meaning: 'the re-ranking steps with their times' },
  // Presenter
  { area: 'presenter', value: 'presenter-toggle', with: '[aria-pressed]', meaning: 'presenter mode on / off' },
  { area: 'presenter', value: 'shortcuts-button', meaning: 'button: open the shortcuts overlay' },
  { area: 'presenter', value: 'shortcuts-overlay', meaning: 'the keyboard shortcuts overlay' },
  { area: 'presenter', value: 'shortcut', with: '[data-action]', meaning: 'a row of the shortcuts overlay' },
  {
    area: 'presenter',
    value: 'readouts-toggle',
    with: '[aria-expanded]',
    meaning: 'button: show or hide the readouts, setup and re-ranking panel (key i)',
  },
  {
    area: 'presenter',
    value: 'readouts-drawer',
    with: '[data-open=true|false]',
    meaning:
      'the readouts, setup and re-ranking panel: beside the view, or a drawer in presenter mode (closed at first)',
  },
  // Tabs and labs
  {
    area: 'tabs and labs',
    value: 'tab-{view}',
    values: [
      'search',
      'pipeline',
      'training',
      'map',
      'evaluation',
      'sweep',
      'scale',
      'quantization',
      'online',
      'models',
      'storage',
    ],
    meaning: 'a tab, named as in view=',
  },
  { area: 'tabs and labs', value: 'job-progress', meaning: 'a running lab job' },
  { area: 'tabs and labs', value: 'job-cancel', meaning: 'button: cancel the running lab job' },
  {
    area: 'tabs and labs',
    value: 'lab-blocked',
    meaning: "why a lab's Run button is off: your images are being indexed (labs wait until it finishes or is stopped)",
  },
  {
    area: 'tabs and labs',
    value: '{chart}-png',
    values: [
      'sweep-chart',
      'scale-chart',
      'training-loss-chart',
      'quant-chart',
      'position-bias-chart',
      'p-value-chart',
    ],
    meaning: 'link: download a lab chart as PNG',
  },
  {
    area: 'sweep',
    value: 'sweep-m-{M}',
    values: [4, 8, 16, 32, 48],
    meaning: 'checkbox: build an index with this M',
  },
  { area: 'sweep', value: 'sweep-queries', meaning: 'queries per point (default 200)' },
  { area: 'sweep', value: 'run-sweep', meaning: 'button: run the sweep' },
  { area: 'sweep', value: 'sweep-chart', with: '[data-points]', meaning: 'recall against queries per second' },
  {
    area: 'sweep',
    value: 'sweep-csv',
    meaning:
      'download: CSV M,efConstruction,efSearch,k,recall,qps,p50_ms,p95_ms,queries,self_matches (self_matches=excluded: each query left out of its own lists)',
  },
  {
    area: 'sweep',
    value: 'sweep-row',
    with: '[data-m][data-ef][data-recall][data-crossing]',
    meaning: 'a measured point; data-crossing=true on the first efSearch reaching recall 0.95',
  },
  {
    area: 'scale',
    value: 'scale-n-{n}',
    values: [1000, 10000, 50000, 100000, 1000000],
    meaning: 'checkbox: measure at this N',
  },
  { area: 'scale', value: 'scale-other-n', meaning: 'any other N' },
  { area: 'scale', value: 'run-scale', meaning: 'button: run the scale experiment' },
  { area: 'scale', value: 'heap-limit', meaning: 'how many vectors fit in the 2 GiB wasm heap' },
  {
    area: 'scale',
    value: 'scale-row',
    with: '[data-n][data-exact-ms][data-hnsw-ms][data-ef][data-recall][data-build-ms][data-index-bytes][data-reached-target=true|false]',
    meaning:
      'a measured N; data-reached-target=false when no efSearch tried reached recall 0.95 (then no speed-up, not in the HNSW slope). With scale-compact, also one row per N and compact method: [data-n][data-method=sq8|binary-rescore][data-query-ms][data-recall][data-code-bytes]',
  },
  {
    area: 'scale',
    value: 'scale-compact',
    meaning:
      'checkbox: also measure the compact codes (SQ8, binary + rescoring) at each N, floats regenerated from the seed',
  },
  {
    area: 'scale',
    value: 'scale-target-missed',
    meaning: 'the Ns whose HNSW row did not reach recall 0.95, and what that means for the chart and the slope',
  },
  {
    area: 'scale',
    value: 'scale-refused',
    meaning:
      "an N past the wasm heap, or a compact method's codes past their 2 GiB budget, refused with its numbers before allocating",
  },
  { area: 'scale', value: 'scale-chart', with: '[data-points]', meaning: 'cost against N, log–log' },
  { area: 'scale', value: 'scale-slopes', meaning: 'the fitted log–log slopes' },
  { area: 'evaluation', value: 'eval-k', meaning: 'k of the offline evaluation' },
  { area: 'evaluation', value: 'run-evaluation', meaning: 'button: run the leave-one-out evaluation' },
  { area: 'evaluation', value: 'evaluation-summary', meaning: 'queries, model and time of the last run' },
  { area: 'evaluation', value: 'class-row', with: '[data-label]', meaning: 'per-class metrics, worst first' },
  { area: 'models', value: 'models-k', meaning: 'k of the model comparison' },
  { area: 'models', value: 'run-models', meaning: 'button: run the pipeline once per model' },
  {
    area: 'models',
    value: 'model-row',
    with: '[data-model][data-precision]',
    meaning: "a model's figures and metrics",
  },
  { area: 'quantization', value: 'quant-rescore', meaning: 'rescoring depth R of binary + rescore (default 200)' },
  { area: 'quantization', value: 'quant-pq-m', meaning: "PQ's m: sub-spaces, bytes per vector (default 64)" },
  { area: 'quantization', value: 'quant-queries', meaning: 'catalogue images searched per method (default 300)' },
  { area: 'quantization', value: 'run-quantization', meaning: 'button: train and measure every method' },
  {
    area: 'quantization',
    value: 'quant-row',
    with: '[data-method=float32|sq8|binary|binary-rescore|pq|ivf-pq][data-bytes-per-vector][data-recall][data-p50-ms][data-map]',
    meaning:
      "a method's bytes per vector, total memory, training ms, query p50/p95, ANN recall@k against float32 and label mAP@k / nDCG@k (each query left out of its own lists)",
  },
  {
    area: 'quantization',
    value: 'quant-chart',
    with: '[data-points]',
    meaning: 'memory against recall, one point per method',
  },
  {
    area: 'quantization',
    value: 'quant-csv',
    meaning:
      'download: CSV method,bytes_per_vector,total_bytes,train_ms,p50_ms,p95_ms,recall,needs_floats,map,ndcg,k,queries',
  },
  // Storage tab
  { area: 'storage', value: 'storage-panel', meaning: 'the Storage tab' },
  { area: 'storage', value: 'offline-ready', meaning: 'the offline copy is complete' },
  { area: 'storage', value: 'storage-embeddings', with: '[data-value=<count>]', meaning: 'embeddings kept' },
  { area: 'storage', value: 'storage-indexes', with: '[data-value=<count>]', meaning: 'saved indexes' },
  {
    area: 'storage',
    value: 'storage-offline',
    with: '[data-value=<bytes>]',
    meaning: 'size of the offline copy',
  },
  { area: 'storage', value: 'storage-clear', meaning: 'button: clear stored data and the service worker' },
  { area: 'storage', value: 'export-npy', meaning: 'download: the indexed embeddings as .npy' },
  { area: 'storage', value: 'export-fvecs', meaning: 'download: the indexed embeddings as .fvecs' },
  { area: 'storage', value: 'export-jsonl', meaning: 'download: their metadata, one JSON line per row' },
  { area: 'online', value: 'sim-sessions', meaning: 'simulated sessions of each method (A/B split and interleaving)' },
  { area: 'online', value: 'sim-decay', meaning: 'examination decay η of the position-based model (rank r: 1 / r^η)' },
  { area: 'online', value: 'sim-click-model', with: '(select: pbm|cascade)', meaning: 'the click model of the users' },
  {
    area: 'online',
    value: 'sim-arm-{arm}',
    values: ['a', 'b'],
    with: '(select: exact|hnsw|hnsw-starved|rerank|mmr|trained)',
    meaning: 'the ranker of arm A or B (trained is disabled until a trained head exists)',
  },
  { area: 'online', value: 'run-simulation', meaning: 'button: run the simulated experiment' },
  { area: 'online', value: 'cancel-simulation', meaning: 'button: cancel it (shown while it runs)' },
  {
    area: 'online',
    value: 'online-summary',
    meaning: 'what the last run simulated: sessions, queries, click model, seed',
  },
  {
    area: 'online',
    value: 'rank-ctr',
    with: '[data-rank][data-value]',
    meaning: "CTR by rank of arm A: clicks at that rank ÷ A's sessions (the position-bias curve)",
  },
  {
    area: 'online',
    value: 'ab-result',
    with: '[data-diff][data-ci-low][data-ci-high][data-sessions-needed]',
    meaning:
      'A/B test: CTR(A) − CTR(B), its 95 % interval, sessions needed (both arms, power 0.8, α 0.05; Infinity when equal)',
  },
  {
    area: 'online',
    value: 'interleaving-result',
    with: '[data-a-wins][data-b-wins][data-ties][data-p-value][data-sessions-needed]',
    meaning: 'team-draft interleaving: wins, losses and ties, sign-test p-value, sessions needed',
  },
  { area: 'online', value: 'position-bias-chart', with: '[data-points]', meaning: 'CTR by rank of both arms' },
  { area: 'online', value: 'p-value-chart', with: '[data-points]', meaning: 'p-value of each method against sessions' },
  {
    area: 'online',
    value: 'click-log-row',
    with: '[data-source=page|sim][data-ranker][data-rank][data-id]',
    meaning: 'a row of the click log table (newest 50 clicks of the catalogue)',
  },
  { area: 'online', value: 'click-log-export', meaning: 'button: download the click log as JSONL' },
  { area: 'online', value: 'click-log-clear', meaning: 'button: forget every click' },
  // pgvector (engines=…,pgvector)
  { area: 'pgvector', value: 'pgvector-panel', meaning: 'the pgvector engine: its database, build and filter' },
  {
    area: 'pgvector',
    value: 'pgvector-status',
    with: '[data-state=starting|loading|indexing|ready|error][data-restored=true|false]',
    meaning: "the database's state; data-restored when it was read back from IndexedDB without a rebuild",
  },
  { area: 'pgvector', value: 'pgvector-sql', meaning: 'the exact DDL, load and query statements used' },
  { area: 'pgvector', value: 'pgvector-copy-sql', meaning: 'button: copy the statements' },
  {
    area: 'pgvector',
    value: 'pgvector-iterative-scan',
    meaning: "checkbox: pgvector's hnsw.iterative_scan (keep scanning when the filter removed candidates)",
  },
  {
    area: 'pgvector',
    value: 'pgvector-force-index',
    meaning: 'checkbox: `SET enable_seqscan = off`, so the planner always takes the HNSW index',
  },
  {
    area: 'pgvector',
    value: 'pgvector-plan',
    with: '[data-plan=hnsw index scan|sequential scan]',
    meaning: "how Postgres ran the last raw top-k query (EXPLAIN): a sequential scan's answer is exact",
  },
  {
    area: 'storage',
    value: 'storage-pgvector',
    with: '[data-value=<count>]',
    meaning: 'pgvector databases kept in IndexedDB',
  },
  { area: 'storage', value: 'pgvector-clear', meaning: 'button: delete the stored pgvector databases' },
  {
    area: 'sweep',
    value: 'sweep-pgvector',
    meaning: "checkbox (engines=…,pgvector): sweep pgvector's hnsw.ef_search on the same queries too",
  },
  {
    area: 'sweep',
    value: 'sweep-pgvector-row',
    with: '[data-ef][data-recall]',
    meaning: 'one pgvector point of the sweep (ef_search capped at 1000); engine=pgvector in the CSV',
  },
  // Object detection (detect, then search)
  {
    area: 'detect',
    value: 'detected-box',
    with: '[data-class][data-score][data-box=x,y,w,h]',
    meaning:
      'button: a detected object over the query image (box in natural pixels); click or Enter searches it as the crop',
  },
  { area: 'detect', value: 'detect-threshold', meaning: 'range: the lowest detection score shown (default 0.3)' },
  { area: 'detect', value: 'detect-status', meaning: 'detecting…, or how many objects were found and in what time' },
  {
    area: 'detect',
    value: 'detect-off',
    meaning: 'why object detection is off (no detector set up, or it failed to load)',
  },
  { area: 'detect', value: 'detect-controls', meaning: "the query panel's detection controls" },
  {
    area: 'detect',
    value: 'objects-panel',
    meaning: 'Search tab: object-level index entries (objects=1): the knob, N as images + objects, the memory added',
  },
  { area: 'detect', value: 'objects-toggle', meaning: 'checkbox: object-level index entries on or off (objects=1)' },
  {
    area: 'detect',
    value: 'objects-n',
    meaning: 'N of the index as "N: <images> images + <objects> objects"',
  },
  {
    area: 'detect',
    value: 'objects-status',
    with: '[data-state=running|waiting|cancelled|done]',
    meaning: 'the detection of the catalogue: done/total, images/s and time left, or how it ended',
  },
  { area: 'detect', value: 'objects-cancel', meaning: 'button: stops detecting the catalogue; the entries added stay' },
  {
    area: 'detect',
    value: 'objects-resume',
    meaning: 'button: goes on with the images not yet detected after a cancel',
  },
  { area: 'detect', value: 'search-each-object', meaning: 'button: one search per detected box, rows stacked' },
  {
    area: 'detect',
    value: 'object-results',
    with: '[data-box=x,y,w,h]',
    meaning: 'one row of "Search each object": the HNSW results for that box (li[data-rank][data-id][data-label])',
  },
  {
    area: 'detect',
    value: 'detection-eval-row',
    with: '[data-label][data-with-box][data-images]',
    meaning: 'Evaluation tab: per class, images with a box and label P@10 whole image vs best box (measured in Node)',
  },
  {
    area: 'detect',
    value: 'detection-eval-summary',
    meaning: 'Evaluation tab: images with a box, and P@10 whole image vs best box over them',
  },
  // Ready before the model (issue 15)
  {
    area: 'status',
    value: 'model-loading',
    meaning: 'ready, while MobileNet still loads in the background (catalogue queries work; uploads wait)',
  },
  {
    area: 'query',
    value: 'waiting-for-model',
    meaning: 'an image the user gave waits for MobileNet to finish loading before it is embedded',
  },
  { area: 'storage', value: 'memory-panel', meaning: 'what the page and each kind of worker hold in memory' },
  {
    area: 'storage',
    value: 'memory-part',
    with: '[data-part][data-value=<bytes>]',
    meaning: 'one part: page, embedding workers, wasm threads, search worker, scale worker, other workers, shared',
  },
  { area: 'storage', value: 'measure-memory', meaning: 'button: measure the memory again' },
  // Training tab
  {
    area: 'training',
    value: 'train-positives',
    with: 'select: labels|augment|clicks',
    meaning: 'source of positive pairs',
  },
  {
    area: 'training',
    value: 'train-ips',
    meaning: 'checkbox (clicks only): inverse-propensity weighting, compared with none',
  },
  { area: 'training', value: 'train-test-fraction', meaning: 'share of the images held out as the test split' },
  {
    area: 'training',
    value: 'train-split',
    with: 'select: stratified|class-disjoint',
    meaning: 'how the split is made',
  },
  { area: 'training', value: 'train-epochs', meaning: 'passes over the training pairs' },
  { area: 'training', value: 'train-temperature', meaning: 'InfoNCE temperature τ' },
  { area: 'training', value: 'train-dim', meaning: "output dimension d' of the head" },
  { area: 'training', value: 'train-layers', with: 'select: 1|2', meaning: 'linear head (1) or MLP (2)' },
  { area: 'training', value: 'run-training', meaning: 'button: train the head' },
  { area: 'training', value: 'cancel-training', meaning: 'button: cancel the training' },
  {
    area: 'training',
    value: 'training-status',
    with: '[data-state=idle|running|done|cancelled|error][data-epoch][data-train-loss][data-test-loss]',
    meaning: 'the run: its state, the last epoch and its losses (empty before the first epoch)',
  },
  { area: 'training', value: 'training-loss-chart', with: '[data-points]', meaning: 'train and test loss per epoch' },
  {
    area: 'training',
    value: 'training-epoch',
    with: '[data-epoch][data-train-loss][data-test-loss]',
    meaning: "one epoch's losses (the loss chart's numbers, in a table)",
  },
  {
    area: 'training',
    value: 'training-summary',
    meaning: 'which images trained (training split) and which are measured (test split)',
  },
  {
    area: 'training',
    value: 'training-result',
    with: '[data-metric=precision-at-k|label-recall-at-k|mrr|map-at-k|ndcg-at-k][data-before][data-after]',
    meaning: 'a metric on the test split, exact ranking, k from eval-k: frozen embeddings and through the head',
  },
  {
    area: 'training',
    value: 'training-class-row',
    with: '[data-label][data-before][data-after]',
    meaning: "a test-split class's mAP@k before and after, biggest gain first",
  },
  { area: 'training', value: 'use-trained', meaning: 'checkbox: index the catalogue with the head (HNSW and exact)' },
  { area: 'training', value: 'export-head', meaning: 'download: the head as a small JSON file' },
  { area: 'training', value: 'import-head', meaning: 'file input: a head file (from here or npm run train)' },
  {
    area: 'training',
    value: 'training-view-cost',
    meaning: 'augment: views made, embedded (and how long), and read from the cache',
  },
  { area: 'training', value: 'head-origin', meaning: 'where the head came from and what the index serves' },
  // Map tab
  {
    area: 'map',
    value: 'embedding-map',
    with: '[data-points=<n>]',
    meaning: 'a 2-D map (PCA, then UMAP) of the indexed images, one point each; a second one after training',
  },
  { area: 'map', value: 'map-point-query', meaning: 'the query (a catalogue image) on the map' },
  {
    area: 'map',
    value: 'map-neighbour',
    with: '[data-id][data-engine=exact|hnsw]',
    meaning: "one of the query's neighbours by that engine, ringed on the map",
  },
  { area: 'map', value: 'map-draw', meaning: 'button: draw the maps again (PCA, then UMAP)' },
  { area: 'map', value: 'map-cancel', meaning: 'button: stop UMAP (the PCA picture stays)' },
  {
    area: 'map',
    value: 'map-filtered',
    with: '[data-label]',
    meaning:
      'the catalogue filtered by the map: the class of the point clicked (or legend entry), or a lasso (empty data-label)',
  },
  { area: 'map', value: 'map-filter-clear', meaning: 'button: clear the filter' },
  {
    area: 'results',
    value: 'engine-status',
    with: '[data-engine=pq]',
    meaning:
      "in a result column's header, why the engine does not answer yet: PQ's codebooks loading, training (with %) or encoding, off the search worker",
  },
  {
    area: 'quantization',
    value: 'quant-rotate',
    meaning: 'checkbox: binary codes as the sign bits after a seeded random rotation (default off)',
  },
  // Search by words (tags from the classifier head)
  {
    area: 'search by words',
    value: 'tag-query',
    meaning: 'input: the tag query; Enter searches (URL tags=)',
  },
  {
    area: 'search by words',
    value: 'tag-note',
    meaning: 'the note that this is tag search over a fixed vocabulary, not free-text semantic search',
  },
  {
    area: 'search by words',
    value: 'tag-status',
    meaning: 'how many images are tagged, or why tags are unavailable for this catalogue',
  },
  {
    area: 'search by words',
    value: 'tag-summary',
    meaning: 'over the tag results: how many classes the words name, results, time',
  },
  { area: 're-ranking', value: 'rerank-tagged', meaning: 'input: only results tagged with these words (URL tagged=)' },
  {
    area: 'search by words',
    value: 'tile-tags',
    meaning: "inside a catalogue tile: the image's tags with their probabilities, shown on hover or focus",
  },
  {
    area: 'catalogue',
    value: 'catalogue-filter',
    with: '[data-count]',
    meaning: "chip over the Search tab's grid: the map's class or lasso filter and how many images it shows",
  },
  { area: 'catalogue', value: 'catalogue-filter-clear', meaning: 'button on the chip: show the whole catalogue again' },
]);

/** `[data-metric=NAME][data-value]`: `data-value` is empty while there is nothing to show. */
export const METRICS = list([
  {
    area: 'readouts',
    value: 'recall-at-k',
    with: '[data-engine=hnsw|sq8|binary|binary-rescore|pq]',
    meaning:
      "ANN recall@k: share of the exact top-k that the column's engine also returned (raw top k, before re-ranking); in each non-exact column's header",
  },
  {
    area: 'readouts',
    value: 'exact-ms',
    with: '[data-engine=exact]',
    meaning: "exact query ms, warm median of 7 runs after the first (raw top k); in the Exact column's header",
  },
  {
    area: 'readouts',
    value: 'hnsw-ms',
    with: '[data-engine=hnsw]',
    meaning: "HNSW query ms, warm median of 7 runs after the first (raw top k); in the HNSW column's header",
  },
  {
    area: 'readouts',
    value: 'exact-first-ms',
    with: '[data-engine=exact]',
    meaning: 'exact query ms of the first run of the query alone, before the warm runs (raw top k)',
  },
  {
    area: 'readouts',
    value: 'hnsw-first-ms',
    with: '[data-engine=hnsw]',
    meaning: 'HNSW query ms of the first run of the query alone, before the warm runs (raw top k)',
  },
  {
    area: 'readouts',
    value: 'quant-ms',
    with: '[data-engine=sq8|binary|binary-rescore|pq]',
    meaning: "a quantized engine's query ms, warm median of 7 runs after the first (raw top k); in its column's header",
  },
  {
    area: 'readouts',
    value: 'quant-first-ms',
    with: '[data-engine=sq8|binary|binary-rescore|pq]',
    meaning:
      "a quantized engine's query ms of the first run alone (the training at the first query that asks for the engine is not in it)",
  },
  { area: 'readouts', value: 'embed-ms', meaning: 'query embedding ms (0 for a catalogue image)' },
  {
    area: 'readouts',
    value: 'build-ms',
    with: '[data-source=shipped|stored|built]',
    meaning:
      'index build ms, or the time to read the index back: data-source says whether it was read from the catalogue’s shipped file, read from browser storage, or built here',
  },
  { area: 'readouts', value: 'ready-ms', meaning: 'ms from the start of the page load to a ready index' },
  { area: 'readouts', value: 'index-bytes', meaning: 'index memory, estimated from hnswlib’s layout' },
  { area: 'readouts', value: 'n', meaning: 'vectors in the index' },
  { area: 'readouts', value: 'dimensions', meaning: 'length of each embedding' },
  {
    area: 'readouts',
    value: 'embed-ms-per-image',
    meaning: 'catalogue embedding per image and worker, = decode-ms-per-image + infer-ms-per-image',
  },
  { area: 'readouts', value: 'decode-ms-per-image', meaning: 'data preparation: fetch, decode, crop, resize' },
  { area: 'readouts', value: 'infer-ms-per-image', meaning: 'the model alone' },
  { area: 'readouts', value: 'embed-seconds', meaning: 'wall time to embed the catalogue' },
  { area: 'readouts', value: 'model-load-ms', meaning: 'backend start + weights + warm-up, per worker' },
  { area: 'readouts', value: 'tensors', meaning: 'live tfjs tensors in the embedding worker' },
  {
    area: 'readouts',
    value: 'cache-hits',
    meaning: 'catalogue images whose embedding came from browser storage',
  },
  {
    area: 'readouts',
    value: 'precomputed-hits',
    meaning: "catalogue images whose embedding came from the catalogue's .vsle bundle",
  },
  { area: 'readouts', value: 'embedded-count', meaning: 'images embedded in this page load' },
  {
    area: 'readouts',
    value: 'superseded-queries',
    meaning: 'queries replaced by a newer one before the search worker reached them',
  },
  { area: 'readouts', value: 'worker-restarts', meaning: 'embedding workers that crashed and were replaced' },
  { area: 'readouts', value: 'model', meaning: 'the model id' },
  { area: 'readouts', value: 'backend', meaning: 'the backend that runs, with SIMD and threads' },
  {
    area: 'offline evaluation',
    value: 'precision-at-k',
    with: '[data-engine=exact|hnsw]',
    meaning: 'precision@k, leave-one-out',
  },
  {
    area: 'offline evaluation',
    value: 'label-recall-at-k',
    with: '[data-engine=exact|hnsw]',
    meaning: 'label recall@k (not ANN recall)',
  },
  { area: 'offline evaluation', value: 'mrr', with: '[data-engine=exact|hnsw]', meaning: 'mean reciprocal rank' },
  { area: 'offline evaluation', value: 'map-at-k', with: '[data-engine=exact|hnsw]', meaning: 'mAP@k' },
  { area: 'offline evaluation', value: 'ndcg-at-k', with: '[data-engine=exact|hnsw]', meaning: 'nDCG@k' },
  {
    area: 'online',
    value: 'ctr',
    with: '[data-arm=a|b]',
    meaning: "click-through rate of the arm's A/B sessions: sessions with a click ÷ sessions",
  },
  { area: 'online', value: 'clicks-per-session', with: '[data-arm=a|b]', meaning: 'clicks per session of the arm' },
  {
    area: 'online',
    value: 'dwell-seconds',
    with: '[data-arm=a|b]',
    meaning: 'mean time spent on a clicked result (simulated), seconds',
  },
  {
    area: 'pgvector',
    value: 'pgvector-ms',
    with: '[data-engine=pgvector]',
    meaning: "pgvector query ms, warm median of 7 runs after the first (raw top k); in the pgvector column's header",
  },
  {
    area: 'pgvector',
    value: 'pgvector-first-ms',
    with: '[data-engine=pgvector]',
    meaning: 'pgvector query ms of the first run of the query alone, before the warm runs (raw top k)',
  },
  {
    area: 'pgvector',
    value: 'pgvector-build-ms',
    meaning: 'pgvector HNSW index build ms, or the time to open the database read back from IndexedDB',
  },
  {
    area: 'pgvector',
    value: 'pgvector-filtered-recall',
    meaning: 'recall@k of the filtered pgvector query against the exact top k of the rows the WHERE keeps',
  },
  // Performance (issue 15)
  {
    area: 'readouts',
    value: 'model-ready-ms',
    meaning: 'ms from the start of the page load to MobileNet loaded in the first embedding worker (after ready)',
  },
  {
    area: 'readouts',
    value: 'first-query-ms',
    meaning: "HNSW ms of the first run of the page's first query (compare with the warm median, hnsw-ms)",
  },
  {
    area: 'readouts',
    value: 'memory-bytes',
    meaning:
      'bytes of the page and its workers (measureUserAgentSpecificMemory, after MobileNet is in); empty where the browser cannot measure',
  },
  {
    area: 'readouts',
    value: 'embed-workers',
    meaning: 'embedding workers holding the model now (idle ones beyond the first are retired after 5 s)',
  },
  {
    area: 'readouts',
    value: 'object-entries',
    meaning: 'object-level entries in the index (objects=1); data-metric=n counts them with the images',
  },
]);

/** `[data-stage=NAME][data-ms]` in the Pipeline tab: `data-ms` is empty before there is a figure. */
export const STAGES = list([
  {
    area: 'prediction pipeline',
    value: 'preprocess',
    with: '[data-ms]',
    meaning: 'decode + resize of the query (0 for a catalogue image, with a stage-note)',
  },
  {
    area: 'prediction pipeline',
    value: 'embed',
    with: '[data-ms]',
    meaning: 'the model on the query (0 for a catalogue image, with a stage-note)',
  },
  {
    area: 'prediction pipeline',
    value: 'ann',
    with: '[data-ms]',
    meaning: 'the HNSW candidate search that fed the re-ranker',
  },
  {
    area: 'prediction pipeline',
    value: 'exact',
    with: '[data-ms]',
    meaning: 'the exact candidate search that fed the re-ranker',
  },
  {
    area: 'prediction pipeline',
    value: 'rerank',
    with: '[data-ms]',
    meaning: "the HNSW column's re-ranking",
  },
  { area: 'prediction pipeline', value: 'results', meaning: 'what is shown (no time)' },
  { area: 'indexing pipeline', value: 'store', meaning: 'the image store (no time)' },
  { area: 'indexing pipeline', value: 'indexing', with: '[data-ms]', meaning: 'catalogue embedding wall time' },
  { area: 'indexing pipeline', value: 'index', with: '[data-ms]', meaning: 'the index build' },
  {
    area: 'prediction pipeline',
    value: 'detect',
    with: '[data-ms]',
    meaning: 'the object detector on the query image (model only; empty when off or before it ran)',
  },
]);

/** A family's template with each `{placeholder}` read as any text. */
type Filled<S extends string> = S extends `${infer A}{${string}}${infer B}` ? `${A}${string}${Filled<B>}` : S;

export type TestId = Filled<(typeof TEST_IDS)[number]['value']>;
export type MetricName = (typeof METRICS)[number]['value'];
export type StageId = (typeof STAGES)[number]['value'];
export type UrlKey = (typeof URL_PARAMETERS)[number]['key'];

/** A family's concrete value: `familyValue('tab-{view}', 'search')` is `tab-search`. */
export function familyValue(template: string, value: string | number): string {
  return template.replace(/\{[^}]*\}/, String(value));
}

/** Every concrete value of a list, families expanded. */
export function concreteValues(entries: readonly ContractEntry[]): string[] {
  return entries.flatMap((e) => (e.values ? e.values.map((v) => familyValue(e.value, v)) : [e.value]));
}

export const byTestId = (id: TestId, attributes = ''): string => `[data-testid="${id}"]${attributes}`;
export const byMetric = (name: MetricName, attributes = ''): string => `[data-metric="${name}"]${attributes}`;
export const byStage = (name: StageId, attributes = ''): string => `[data-stage="${name}"]${attributes}`;
