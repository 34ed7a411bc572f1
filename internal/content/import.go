package content

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/outbox"
)

// maxImportChapters caps the chapters one import creates.
const maxImportChapters = 2000

// NewChapter is a chapter of an imported story.
type NewChapter struct {
	Title string
	Doc   document.Doc
}

// ImportStory creates a story owned by the caller with all its chapters in one
// transaction, so an import either arrives whole or not at all. Each chapter's
// document is validated as any save is.
func (s *Service) ImportStory(ctx context.Context, p auth.Principal, in StoryInput, chapters []NewChapter) (*Story, error) {
	if len(chapters) > maxImportChapters {
		return nil, errs.E(errs.Invalid, "the manuscript has %d chapters; an import takes at most %d", len(chapters), maxImportChapters)
	}
	st := &Story{ID: uuid.NewString(), OwnerID: p.UserID, ContentType: "novel", Status: "draft", Visibility: "private",
		Metadata: json.RawMessage("{}"), Settings: json.RawMessage("{}"), Version: 1}
	if in.Version != nil || in.CoverFileID != nil || in.Status != nil {
		return nil, errs.E(errs.Invalid, "an import sets only the title, subtitle, genre, kind and description")
	}
	if _, err := in.apply(st); err != nil {
		return nil, err
	}
	list := make([]*Chapter, len(chapters))
	bodies := make([]string, len(chapters))
	for i, nc := range chapters {
		raw, err := nc.Doc.MarshalJSON()
		if err != nil {
			return nil, err
		}
		title := nc.Title
		c := &Chapter{ID: uuid.NewString(), StoryID: st.ID, Number: i + 1, Status: "draft", Metadata: json.RawMessage("{}"), Version: 1}
		cin := ChapterInput{Title: &title, Content: raw}
		if err := cin.apply(c); err != nil {
			return nil, prefixField(fmt.Sprintf("chapters[%d]", i), err)
		}
		doc, _, err := cin.document()
		if err != nil {
			return nil, prefixField(fmt.Sprintf("chapters[%d]", i), err)
		}
		c.Content, c.PlainText, c.WordCount = doc, doc.PlainText(), doc.WordCount()
		if bodies[i], err = marshalDoc(doc); err != nil {
			return nil, err
		}
		list[i] = c
	}
	now := s.nowUTC()
	st.CreatedAt, st.UpdatedAt = now, now
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := insertStory(ctx, tx, st); err != nil {
			return err
		}
		if err := insertCollaborator(ctx, tx, uuid.NewString(), st.ID, p.UserID, "owner", "", now); err != nil {
			return err
		}
		for i, c := range list {
			c.CreatedAt, c.UpdatedAt = now, now
			if _, err := tx.ExecContext(ctx, `INSERT INTO chapters (id, book_id, chapter_number, title, content, plain_text,
				word_count, status, synopsis, metadata, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11)`,
				c.ID, st.ID, c.Number, c.Title, bodies[i], c.PlainText, c.WordCount, c.Status, c.Synopsis, string(c.Metadata), now); err != nil {
				return fmt.Errorf("content: import chapter %d: %w", c.Number, err)
			}
			if len(c.Content) > 0 {
				if err := s.recordVersion(ctx, tx, c, p.UserID, "save", "imported", bodies[i]); err != nil {
					return err
				}
			}
		}
		if err := refreshWordCount(ctx, tx, st.ID, now); err != nil {
			return err
		}
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "story.created", AggregateID: st.ID, ActorID: p.UserID,
			Payload: map[string]any{"title": st.Title, "content_type": st.ContentType, "imported": true, "chapters": len(list)}})
	})
	if err != nil {
		return nil, err
	}
	return getStoryRow(ctx, s.db, st.ID)
}
