import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { channelNames, eventNames, eventPrefix } from '../../shared/contract';
import type { Envelope } from '../../shared/errors';
import type { Core } from '../core';
import type { Logger } from '../log/logger';
import { isTrustedSender } from './sender-check';

/** What the adapter wires together. */
export interface IpcAdapterOptions {
  ipcMain: IpcMain;
  core: Core;
  log: Logger;
  /** The windows that receive events. */
  targets: () => WebContents[];
}

const refused: Envelope<never> = {
  ok: false,
  error: { code: 'UNTRUSTED_SENDER', message: 'Refused: the request did not come from ProxDesk.' },
};

/**
 * Registers one handler per contract channel. Each checks the sender before anything else;
 * `core.invoke` then parses the input before any handler runs. Returns an unregister function.
 */
export function registerIpc(options: IpcAdapterOptions): () => void {
  const { ipcMain, core, log } = options;
  for (const channel of channelNames) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedSender(event.senderFrame)) {
        log.warn(`refused ${channel} from ${event.senderFrame?.url ?? 'an unknown frame'}`);
        return refused;
      }
      return core.invoke(channel, input);
    });
  }
  const unsubscribers = eventNames.map((name) =>
    core.on(name, (payload) => {
      for (const target of options.targets()) {
        if (!target.isDestroyed()) target.send(`${eventPrefix}${name}`, payload);
      }
    }),
  );
  return () => {
    for (const channel of channelNames) ipcMain.removeHandler(channel);
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
