import { useId, useState, type ReactNode } from 'react';
import { errorText } from '../../components/error-message';
import { useRenameProfile } from './cluster-mutations';

/** The profile's name, with a small form to rename it. */
export function ProfileName({ profileId, name }: { profileId: string; name: string }): ReactNode {
  const inputId = useId();
  const rename = useRenameProfile();
  const [editing, setEditing] = useState<string | null>(null);

  if (editing === null) {
    return (
      <span className="card-title-sub">
        <span data-testid="profile-name">{name}</span>{' '}
        <button
          type="button"
          className="link-button"
          data-testid="profile-rename"
          onClick={() => setEditing(name)}
        >
          Rename
        </button>
      </span>
    );
  }
  return (
    <form
      className="profile-rename"
      onSubmit={(event) => {
        event.preventDefault();
        rename.mutate({ profileId, name: editing }, { onSuccess: () => setEditing(null) });
      }}
    >
      <label htmlFor={inputId} className="visually-hidden">
        Profile name
      </label>
      <input
        id={inputId}
        className="input"
        value={editing}
        maxLength={64}
        data-testid="profile-name-input"
        disabled={rename.isPending}
        onChange={(event) => setEditing(event.target.value)}
      />
      <button type="submit" className="button button-small" disabled={rename.isPending}>
        Save
      </button>
      <button type="button" className="button button-small" onClick={() => setEditing(null)}>
        Cancel
      </button>
      {rename.isError ? (
        <p className="field-error" role="alert">
          {errorText(rename.error)}
        </p>
      ) : null}
    </form>
  );
}
