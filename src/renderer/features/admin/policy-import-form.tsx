import { useId, useState, type ChangeEvent, type ReactNode } from 'react';
import { isApiError } from '../../api';
import { ErrorMessage } from '../../components/error-message';
import { useImportPolicy } from './admin-queries';

/** Largest policy file the form reads; the channel refuses anything above 1 MiB too. */
const maxPolicyBytes = 1024 * 1024;

/** Paste or choose a policy document and import it; a refusal lists every bad field by path. */
export function PolicyImportForm(): ReactNode {
  const textId = useId();
  const fileId = useId();
  const [text, setText] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const importPolicy = useImportPolicy();

  async function readFile(event: ChangeEvent<HTMLInputElement>): Promise<void> {
    const file = event.target.files?.[0];
    setFileError(null);
    if (file === undefined) return;
    if (file.size > maxPolicyBytes) {
      setFileError(`${file.name} is larger than 1 MiB; a policy is much smaller.`);
      return;
    }
    setText(await file.text());
    importPolicy.reset();
  }

  return (
    <section className="card" aria-labelledby={`${textId}-title`} data-testid="policy-import">
      <header className="card-header">
        <h2 id={`${textId}-title`} className="card-title">
          Import a policy
        </h2>
      </header>
      <form
        className="card-body form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (text.trim() !== '') importPolicy.mutate(text);
        }}
      >
        <div className="field">
          <label htmlFor={fileId}>Policy file</label>
          <input
            id={fileId}
            type="file"
            accept="application/json,.json"
            data-testid="policy-file"
            onChange={(event) => void readFile(event)}
          />
          {fileError !== null ? <p className="field-error">{fileError}</p> : null}
        </div>
        <div className="field">
          <label htmlFor={textId}>Policy JSON</label>
          <textarea
            id={textId}
            className="input policy-text"
            spellCheck={false}
            value={text}
            data-testid="policy-text"
            onChange={(event) => {
              setText(event.target.value);
              if (importPolicy.isError || importPolicy.isSuccess) importPolicy.reset();
            }}
          />
          <p className="field-hint">
            The policy is checked as a whole; if any field is wrong, nothing changes and the policy
            in force stays.
          </p>
        </div>
        {importPolicy.isError ? (
          <ErrorMessage
            error={importPolicy.error}
            title={
              isApiError(importPolicy.error, 'POLICY_INVALID')
                ? 'The policy was not imported'
                : 'The import failed'
            }
            testId="policy-import-error"
          />
        ) : null}
        {importPolicy.isSuccess ? (
          <p className="message message-success" role="status" data-testid="policy-import-done">
            Imported: {importPolicy.data.users.length} users
            {importPolicy.data.savedTo !== null ? `, saved to ${importPolicy.data.savedTo}` : ''}.
          </p>
        ) : null}
        <div className="dialog-actions">
          <button
            type="submit"
            className="button button-primary"
            data-testid="policy-import-submit"
            disabled={importPolicy.isPending || text.trim() === ''}
          >
            {importPolicy.isPending ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
    </section>
  );
}
