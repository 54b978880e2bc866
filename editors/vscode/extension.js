// deferguard for VS Code: starts `deferguard lsp` for Go files and shows its diagnostics and quick
// fixes. Plain CommonJS, no build step: `npm install` in this directory, then load the folder as
// an extension (see README.md).
'use strict';
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function serverOptions() {
  const cfg = vscode.workspace.getConfiguration('deferguard');
  const command = cfg.get('path') || 'deferguard';
  const args = ['lsp', '--stdio', ...(cfg.get('args') || [])];
  return { command, args, transport: TransportKind.stdio };
}

async function start(context) {
  client = new LanguageClient('deferguard', 'deferguard', serverOptions(), {
    documentSelector: [{ scheme: 'file', language: 'go' }],
    synchronize: {
      // The server reloads its settings and package list when these change on disk.
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/.deferguard.{yml,yaml}'),
        vscode.workspace.createFileSystemWatcher('**/go.{mod,work}'),
        vscode.workspace.createFileSystemWatcher('**/*.go'),
      ],
    },
  });
  context.subscriptions.push(client);
  try {
    await client.start();
  } catch (e) {
    vscode.window.showErrorMessage(
      `deferguard: cannot start "${serverOptions().command} lsp" (${e && e.message ? e.message : e}). ` +
        'Install deferguard (npm install -g deferguard) or set deferguard.path.',
    );
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('deferguard.restart', async () => {
      if (client) await client.stop();
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('deferguard.path') || e.affectsConfiguration('deferguard.args')) {
        if (client) await client.stop();
        await start(context);
      }
    }),
  );
  await start(context);
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
