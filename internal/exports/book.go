package exports

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	_ "image/jpeg" // cover dimensions
	_ "image/png"  // cover dimensions
	"io"
	"strings"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/export"
)

// maxCover caps the cover image read into an export.
const maxCover = 10 << 20

// book builds the export.Book of a story: its chapters in order, each with its
// own text and then its scenes' separated by scene breaks.
func (s *Service) book(ctx context.Context, storyID, userID string, o Options) (*export.Book, error) {
	st, err := s.content.StoryRecord(ctx, storyID)
	if err != nil {
		return nil, err
	}
	docs, err := s.content.Documents(ctx, storyID)
	if err != nil {
		return nil, err
	}
	b := &export.Book{ID: st.ID, Title: st.Title, Subtitle: st.Subtitle, Genre: st.Genre, Description: st.Description,
		ContentType: st.ContentType, Language: language(st.Metadata), Modified: st.UpdatedAt.UTC()}
	name, email := "", ""
	if userID != "" && s.people != nil {
		if name, email, err = s.people.Person(ctx, userID); err != nil {
			return nil, err
		}
	}
	b.Author = strings.TrimSpace(o.Author)
	if b.Author == "" {
		b.Author = name
	}
	if f := strings.Fields(b.Author); len(f) > 0 {
		b.Surname = f[len(f)-1]
	}
	if o.Contact != nil {
		b.Contact = *o.Contact
	} else {
		b.Contact = export.Contact{Name: name, Email: email}
	}
	for _, c := range docs {
		doc := append(document.Doc{}, c.Doc...)
		for _, sc := range c.Scenes {
			if len(sc.Doc) == 0 {
				continue
			}
			if len(doc) > 0 && !b.Script() {
				doc = append(doc, document.Block{Type: document.SceneBreak})
			}
			doc = append(doc, sc.Doc...)
		}
		b.Chapters = append(b.Chapters, export.Chapter{Number: c.Number, Title: c.Title, Doc: doc})
		b.WordCount += doc.WordCount()
	}
	if st.CoverFileID != "" && s.files != nil {
		if b.Cover, err = s.cover(ctx, st.CoverFileID); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// cover reads a story's cover; formats an EPUB cannot carry (WebP) are left out.
func (s *Service) cover(ctx context.Context, fileID string) (*export.Image, error) {
	rc, mediaType, err := s.files.Open(ctx, fileID)
	if err != nil {
		return nil, fmt.Errorf("exports: open cover: %w", err)
	}
	defer rc.Close()
	if mediaType != "image/jpeg" && mediaType != "image/png" {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(rc, maxCover+1))
	if err != nil {
		return nil, fmt.Errorf("exports: read cover: %w", err)
	}
	if len(data) > maxCover {
		return nil, nil
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, nil //nolint:nilerr // an unreadable cover is left out, not fatal
	}
	return &export.Image{Data: data, MediaType: mediaType, Width: cfg.Width, Height: cfg.Height}, nil
}

// language reads the story's language from its metadata ("language": "en-GB"),
// English when it has none.
func language(meta json.RawMessage) string {
	var m struct {
		Language string `json:"language"`
	}
	if json.Unmarshal(meta, &m) == nil && m.Language != "" && len(m.Language) <= 35 {
		return m.Language
	}
	return "en"
}
