// The palette commands: thin wrappers that find the layer and hand a scene to the panel.
import * as vscode from 'vscode';
import type { LayerIndex } from './codelens';
import { layerAt, layerSpanning, layerSpans, type SourceLanguage } from './parse';
import type { UnrollViewProvider } from './panel';
import { DEFAULT_SCENE } from './scene';
import type { LayerSpec } from './spec';
import { CancelledError, type EngineClient } from './engine/client';
import { trainSettingsSchema, validate, type ModelLayerEntry, type TrainSettings } from './protocol';
import { DEFAULT_TRAIN_SETTINGS, taskExplanation } from './training';
import { kerasDefaults, type LayerWeights } from './spec';

export function registerCommands(index: LayerIndex, panel: UnrollViewProvider, engine: Pick<EngineClient, 'run'>, extensionUri: vscode.Uri): vscode.Disposable[] {
  const unroll = async (document: vscode.TextDocument, spec: LayerSpec, notes: string[] = []) => {
    const config = vscode.workspace.getConfiguration('rnnUnroll');
    const defaults = { ...DEFAULT_SCENE, timesteps: config.get<number>('defaultTimesteps', DEFAULT_SCENE.timesteps) };
    const source = `${vscode.workspace.asRelativePath(document.uri)}:${spec.range.line + 1}`;
    // The one-hot text preset starts from the layer's own line of code.
    await panel.open(spec, source, defaults, notes, document.lineAt(spec.range.line).text.trim());
  };

  const config = () => {
    const c = vscode.workspace.getConfiguration('rnnUnroll');
    return { ...DEFAULT_SCENE, timesteps: c.get<number>('defaultTimesteps', DEFAULT_SCENE.timesteps) };
  };

  return [
    // Asked for by name: the panel takes the keyboard.
    vscode.commands.registerCommand('rnnUnroll.openPanel', () => panel.reveal(false)),

    // From the palette (asks which task) or a link such as the walkthrough's (gets the settings).
    vscode.commands.registerCommand('rnnUnroll.train', async (arg: unknown) => {
      let settings: Partial<TrainSettings> | undefined;
      if (typeof arg === 'object' && arg !== null) {
        const checked = validate(trainSettingsSchema, { ...DEFAULT_TRAIN_SETTINGS, ...arg });
        if (checked.ok) settings = checked.value;
      }
      if (!settings) {
        const t = vscode.l10n.t;
        const items: (vscode.QuickPickItem & { settings: Partial<TrainSettings> })[] = [
          { label: t('Memory task: SimpleRNN, LSTM and GRU side by side'), detail: taskExplanation('memory', t), settings: { task: 'memory', compare: true } },
          { label: t('Memory task with the panel’s cell'), settings: { task: 'memory' } },
          { label: t('Next-character prediction'), detail: taskExplanation('next_char', t), settings: { task: 'next_char', timesteps: 40 } },
          { label: t('Sine-wave continuation'), detail: taskExplanation('sine', t), settings: { task: 'sine', timesteps: 50 } },
        ];
        settings = (await vscode.window.showQuickPick(items, { title: t('Train on a toy task') }))?.settings;
      }
      if (settings) await panel.train(settings);
    }),
    vscode.commands.registerCommand('rnnUnroll.stopTraining', () => panel.training.stop()),

    // The seed model in an untitled editor: a layer to unroll without any project of one's own.
    vscode.commands.registerCommand('rnnUnroll.openExample', async () => {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'dist', 'examples', 'seed_model.py'));
      const document = await vscode.workspace.openTextDocument({ language: 'python', content: new TextDecoder().decode(bytes) });
      await vscode.window.showTextDocument(document);
    }),

    // From the palette (asks for the file) or the explorer's context menu (gets it).
    vscode.commands.registerCommand('rnnUnroll.openTrainedModel', async (arg: unknown) => {
      let uri = arg instanceof vscode.Uri ? arg : undefined;
      if (!uri) {
        const picked = await vscode.window.showOpenDialog({
          canSelectMany: false,
          title: vscode.l10n.t('Open a trained model'),
          filters: { [vscode.l10n.t('Trained models')]: ['h5', 'hdf5', 'keras', 'json', 'pt', 'pth'] },
        });
        uri = picked?.[0];
      }
      if (!uri) return;
      if (uri.scheme !== 'file') {
        void vscode.window.showWarningMessage(vscode.l10n.t('Trained models are read from local files; this one is on {0}.', uri.scheme));
        return;
      }
      const name = uri.path.split('/').pop() ?? uri.path;
      let layers: ModelLayerEntry[];
      try {
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading {0}…', name), cancellable: false },
          () => engine.run('model', { kind: 'model', path: uri.fsPath }),
        );
        layers = result.layers;
      } catch (e) {
        if (e instanceof CancelledError) return;
        void vscode.window.showErrorMessage(vscode.l10n.t('Cannot open {0}: {1}', name, e instanceof Error ? e.message : String(e)));
        return;
      }
      const items = layers.map((l) => ({
        label: `${l.recurrent ? '$(debug-step-over)' : '$(circle-outline)'} ${l.name}`,
        description: `${l.className}${l.units !== null ? `(${l.units})` : ''}`,
        detail: l.recurrent ? l.detail : `${vscode.l10n.t('not unrollable')}${l.detail ? ` · ${l.detail}` : ''}`,
        layer: l,
      }));
      const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Layers of {0}: pick a recurrent one to unroll', name), matchOnDescription: true });
      const chosen = pick?.layer.recurrent;
      if (!pick || !chosen) {
        if (pick) void vscode.window.showInformationMessage(vscode.l10n.t('{0} is not a recurrent layer RNN Unroll can unroll.', pick.layer.name));
        return;
      }
      const r = chosen.spec;
      const spec: LayerSpec = {
        ...kerasDefaults(r.cell),
        framework: 'keras',
        kind: r.cell,
        className: pick.layer.className,
        units: r.units,
        unitsText: String(r.units),
        inputDim: r.inputDim,
        timesteps: r.timesteps,
        activation: r.activation,
        recurrentActivation: r.recurrentActivation,
        useBias: r.useBias,
        returnSequences: r.returnSequences,
        returnState: r.returnState,
        goBackwards: r.goBackwards,
        resetAfter: r.resetAfter,
        bidirectional: r.bidirectional,
        inTimeDistributed: false,
        head: null,
        range: { line: 0, character: 0, endLine: 0, endCharacter: 0 },
        symbolic: [],
      };
      await panel.openTrained(spec, chosen.weights, `${name} · ${pick.layer.name}`, config(), [...chosen.assumptions, ...forgetBiasNote(spec, chosen.weights)], chosen.embedding);
    }),

    vscode.commands.registerCommand('rnnUnroll.unrollAtCursor', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a file with a recurrent layer first, then put the cursor on it.'));
        return;
      }
      const found = index.parse(editor.document)?.layers ?? [];
      const layers = found.map((f) => f.spec);
      const { line, character } = editor.selection.active;
      // On the layer's line, or inside its (multi-line) call.
      const spec =
        layerAt(layers, line, character) ??
        layerSpanning(layerSpans(editor.document.getText(), editor.document.languageId as SourceLanguage, found), line)?.layer.spec ??
        null;
      if (!spec) {
        void vscode.window.showInformationMessage(
          layers.length === 0
            ? vscode.l10n.t('No SimpleRNN, LSTM or GRU layer was found in this file.')
            : vscode.l10n.t('The cursor is not on a recurrent layer. This file has {0}; put the cursor on one of their lines.', layers.length),
        );
        return;
      }
      await unroll(editor.document, spec);
    }),

    // Invoked by a lens or the hover with the position of the layer's name (and, for a model
    // lens, the line of the model, whose input and head then complete the layer).
    vscode.commands.registerCommand('rnnUnroll.unrollLayer', async (uri: unknown, line: unknown, character: unknown, modelLine?: unknown) => {
      const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
      if (!(target instanceof vscode.Uri) || typeof line !== 'number' || typeof character !== 'number') return;
      const document = await vscode.workspace.openTextDocument(target);
      const parsed = index.parse(document);
      const spec = parsed?.layers.map((f) => f.spec).find((l) => l.range.line === line && l.range.character === character);
      if (!parsed || !spec) {
        void vscode.window.showWarningMessage(vscode.l10n.t('That layer is no longer at this place in the file; click the lens again.'));
        return;
      }
      const model = typeof modelLine === 'number' ? parsed.models.find((m) => m.range.line === modelLine) : undefined;
      if (!model) return unroll(document, spec);
      const notes =
        model.recurrent.length > 1
          ? [vscode.l10n.t('The model stacks {0} recurrent layers; this is the first. Click a layer’s own lens to see the others.', model.recurrent.length)]
          : [];
      await unroll(
        document,
        {
          ...spec,
          head: spec.head ?? model.head,
          timesteps: spec.timesteps ?? model.input?.timesteps ?? null,
          inputDim: spec.inputDim ?? model.input?.features ?? null,
        },
        notes,
      );
    }),
  ];
}

/** LSTM: how far the forget gates start open, the usual reason gradients survive long ranges. */
function forgetBiasNote(spec: LayerSpec, weights: LayerWeights): string[] {
  if (spec.kind !== 'lstm') return [];
  const w = 'forward' in weights ? weights.forward : weights;
  if (!w.bias) return [];
  const H = spec.units!;
  const f = w.bias.subarray(H, 2 * H);
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of f) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return [vscode.l10n.t('Forget-gate bias: mean {0}, min {1}, max {2} (Keras starts it at 1).', (sum / H).toFixed(2), min.toFixed(2), max.toFixed(2))];
}
