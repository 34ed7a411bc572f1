import { useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { ApiError, messageOf } from "../api/errors";
import { useAuth } from "../auth/AuthContext";
import { storyKeys } from "../stories/queries";
import { useStoryOutlet } from "../stories/StoryLayout";
import { Field } from "../ui/Field";
import { FormError } from "../ui/FormError";
import { day } from "../ui/format";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { useChangeRole, useCollaborators, useInvite, useRemoveCollaborator, type Collaborator, type Role } from "./queries";
import "./collaborators.css";

export const roleLabel: Record<Role, string> = { owner: "Owner", editor: "Editor", viewer: "Viewer" };

function nameOf(c: Collaborator): string {
  return c.display_name || c.username;
}

/** CollaboratorsPage lists who works on a story; its owners invite, change roles and remove. */
export function CollaboratorsPage() {
  const story = useStoryOutlet();
  const { user } = useAuth();
  const list = useCollaborators(story.id);
  const isOwner = story.role === "owner";
  const [status, setStatus] = useState("");

  return (
    <section className="collaborators" aria-labelledby="collaborators-heading">
      <h2 id="collaborators-heading">Collaborators</h2>
      <p className="collaborators__lede">
        Owners manage the story, its publishing and its collaborators; editors write the story and its bible; viewers
        read everything and change nothing.
        {!isOwner && " Only an owner can invite people or change their roles."}
      </p>
      <p role="status" className="collaborators__status">
        {status}
      </p>
      {isOwner && <InviteForm storyId={story.id} onDone={setStatus} />}
      {list.isPending && <p role="status">Loading the collaborators…</p>}
      {list.isError && <FormError message={messageOf(list.error)} />}
      {list.data && (
        <ul className="collab-list" aria-label="People on this story">
          {list.data.map((c) => (
            <CollaboratorRow
              key={c.user_id}
              storyId={story.id}
              storyTitle={story.title}
              collaborator={c}
              isOwner={isOwner}
              isMe={user?.id === c.user_id}
              onDone={setStatus}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function InviteForm({ storyId, onDone }: { storyId: string; onDone(message: string): void }) {
  const invite = useInvite(storyId);
  const [who, setWho] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const roleId = useId();
  const err = invite.error;
  const field = err instanceof ApiError ? err.field : undefined;

  function submit(e: FormEvent) {
    e.preventDefault();
    const name = who.trim();
    if (!name) return;
    onDone("");
    invite.mutate(
      { user: name, role },
      {
        onSuccess: (c) => {
          setWho("");
          onDone(`${nameOf(c)} (${c.username}) is now ${c.role === "editor" ? "an editor" : `a ${c.role}`} of this story.`);
        },
      },
    );
  }

  return (
    <form className="invite" onSubmit={submit} aria-labelledby="invite-heading" noValidate>
      <h3 id="invite-heading">Invite someone</h3>
      <p className="invite__lede">They need an AuthorWorks account; they see the story as soon as you invite them.</p>
      <div className="invite__row">
        <Field
          label="Username or email"
          value={who}
          onChange={(e) => setWho(e.target.value)}
          autoComplete="off"
          required
          error={err && field === "user" ? messageOf(err) : undefined}
        />
        <div className="field invite__role">
          <label htmlFor={roleId}>Role</label>
          <select
            id={roleId}
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            aria-invalid={field === "role" ? true : undefined}
          >
            <option value="editor">Editor — can write</option>
            <option value="viewer">Viewer — can read</option>
          </select>
          {err && field === "role" && <p className="field__error">{messageOf(err)}</p>}
        </div>
        <button type="submit" className="button button--primary invite__submit" disabled={invite.isPending || who.trim() === ""}>
          {invite.isPending ? "Inviting…" : "Invite"}
        </button>
      </div>
      {err && field !== "user" && field !== "role" && <FormError message={messageOf(err)} />}
    </form>
  );
}

interface RowProps {
  storyId: string;
  storyTitle: string;
  collaborator: Collaborator;
  isOwner: boolean;
  isMe: boolean;
  onDone(message: string): void;
}

function CollaboratorRow({ storyId, storyTitle, collaborator: c, isOwner, isMe, onDone }: RowProps) {
  const change = useChangeRole(storyId);
  const remove = useRemoveCollaborator(storyId);
  const [confirming, setConfirming] = useState(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const selectId = useId();
  const name = nameOf(c);
  // Owners manage everyone but themselves here (a story must keep an owner); anyone may leave.
  const manage = isOwner && !isMe;
  const canLeave = isMe && c.role !== "owner";

  function changeRole(role: Role) {
    onDone("");
    remove.reset();
    change.mutate(
      { userId: c.user_id, role },
      { onSuccess: () => onDone(`${name} is now ${role === "owner" ? "an owner" : role === "editor" ? "an editor" : "a viewer"}.`) },
    );
  }

  function confirmRemove() {
    remove.mutate(c.user_id, {
      onSuccess: () => {
        setConfirming(false);
        if (isMe) {
          void queryClient.invalidateQueries({ queryKey: storyKeys.list() });
          void navigate("/", { replace: true });
          return;
        }
        onDone(`${name} no longer has access to this story.`);
      },
    });
  }

  const error = change.error ?? (confirming ? null : remove.error);
  return (
    <li className="collab-row">
      <div className="collab-row__who">
        <span className="collab-row__name">
          {name}
          {isMe && <span className="collab-row__you"> (you)</span>}
        </span>
        <span className="collab-row__meta">
          @{c.username} · joined {day(c.created_at)}
        </span>
      </div>
      <div className="collab-row__role">
        {manage ? (
          <>
            <label htmlFor={selectId} className="visually-hidden">
              Role of {name}
            </label>
            <select
              id={selectId}
              value={change.isPending && change.variables ? change.variables.role : c.role}
              disabled={change.isPending}
              onChange={(e) => changeRole(e.target.value as Role)}
            >
              <option value="owner">Owner</option>
              <option value="editor">Editor</option>
              <option value="viewer">Viewer</option>
            </select>
          </>
        ) : (
          <span className={`badge role-badge role-badge--${c.role}`}>{roleLabel[c.role]}</span>
        )}
      </div>
      <div className="collab-row__actions">
        {(manage || canLeave) && (
          <button
            type="button"
            className="button button--quiet collab-row__remove"
            onClick={() => {
              change.reset();
              remove.reset();
              setConfirming(true);
            }}
            aria-label={isMe ? "Leave this story" : `Remove ${name}`}
          >
            {isMe ? "Leave" : "Remove"}
          </button>
        )}
      </div>
      {error && (
        <p className="collab-row__error" role="alert">
          {messageOf(error)}
        </p>
      )}
      {confirming && (
        <ConfirmDialog
          title={isMe ? `Leave “${storyTitle}”?` : `Remove ${name}?`}
          confirmLabel={isMe ? "Leave story" : `Remove ${name}`}
          danger
          busy={remove.isPending}
          error={remove.error ? messageOf(remove.error) : null}
          onCancel={() => {
            remove.reset();
            setConfirming(false);
          }}
          onConfirm={confirmRemove}
        >
          <p>
            {isMe
              ? "You will no longer see this story or anything in it. An owner can invite you again."
              : `${name} (@${c.username}) will no longer see “${storyTitle}” or anything in it. What they wrote stays in the story. You can invite them again later.`}
          </p>
        </ConfirmDialog>
      )}
    </li>
  );
}
