// Package content is the Content service: stories (the books table), their
// chapters and scenes, the story bible (characters, relationships, world entries,
// facts that change over the story), content versions, collaborators and
// publishing. It owns those tables and records their domain events in the outbox.
//
// Every operation first works out the caller's role on the story (owner, editor,
// viewer, or reader of a published public story). Strangers get 404 for stories they
// may not see, so ids do not leak which stories exist.
package content
