package content

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/errs"
)

// Allowed values of the stories' enumerated fields.
var (
	ContentTypes = []string{"novel", "screenplay", "play", "graphic_novel"}
	Statuses     = []string{"draft", "in_progress", "completed", "published"}
	Visibilities = []string{"private", "unlisted", "public"}
)

const (
	maxTitle    = 300
	maxGenre    = 100
	maxLongText = 20000
	maxJSONBlob = 64 << 10
)

// Story is a book: the unit that is written, shared and published.
type Story struct {
	ID          string
	OwnerID     string
	Title       string
	Subtitle    string
	Genre       string
	ContentType string
	Description string
	CoverFileID string
	Status      string
	Visibility  string
	WordCount   int
	Synopsis    string
	StyleGuide  string
	Metadata    json.RawMessage
	Settings    json.RawMessage
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PublishedAt *time.Time
	DeletedAt   *time.Time
}

// Published reports whether readers outside the story's collaborators may read it.
func (s *Story) Published() bool {
	return s.Status == "published" && s.Visibility != "private" && s.DeletedAt == nil
}

// StoryView is what collaborators see of a story.
type StoryView struct {
	ID          string          `json:"id"`
	OwnerID     string          `json:"owner_id"`
	Title       string          `json:"title"`
	Subtitle    string          `json:"subtitle"`
	Genre       string          `json:"genre"`
	ContentType string          `json:"content_type"`
	Description string          `json:"description"`
	CoverFileID *string         `json:"cover_file_id"`
	Status      string          `json:"status"`
	Visibility  string          `json:"visibility"`
	WordCount   int             `json:"word_count"`
	Synopsis    string          `json:"synopsis"`
	StyleGuide  string          `json:"style_guide"`
	Metadata    json.RawMessage `json:"metadata"`
	Settings    json.RawMessage `json:"settings"`
	Version     int             `json:"version"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
	PublishedAt *time.Time      `json:"published_at"`
	DeletedAt   *time.Time      `json:"deleted_at"`
	// Role is the caller's role on the story.
	Role string `json:"role"`
}

// PublicStoryView is what readers of a published story see.
type PublicStoryView struct {
	ID          string     `json:"id"`
	OwnerID     string     `json:"owner_id"`
	Title       string     `json:"title"`
	Subtitle    string     `json:"subtitle"`
	Genre       string     `json:"genre"`
	ContentType string     `json:"content_type"`
	Description string     `json:"description"`
	CoverFileID *string    `json:"cover_file_id"`
	WordCount   int        `json:"word_count"`
	PublishedAt *time.Time `json:"published_at"`
	Role        string     `json:"role"`
}

// View returns the view of s that a caller with role may see.
func (s *Story) View(role Role) any {
	var cover *string
	if s.CoverFileID != "" {
		c := s.CoverFileID
		cover = &c
	}
	if role < RoleViewer {
		return PublicStoryView{ID: s.ID, OwnerID: s.OwnerID, Title: s.Title, Subtitle: s.Subtitle, Genre: s.Genre,
			ContentType: s.ContentType, Description: s.Description, CoverFileID: cover, WordCount: s.WordCount,
			PublishedAt: s.PublishedAt, Role: role.String()}
	}
	return StoryView{ID: s.ID, OwnerID: s.OwnerID, Title: s.Title, Subtitle: s.Subtitle, Genre: s.Genre,
		ContentType: s.ContentType, Description: s.Description, CoverFileID: cover, Status: s.Status,
		Visibility: s.Visibility, WordCount: s.WordCount, Synopsis: s.Synopsis, StyleGuide: s.StyleGuide,
		Metadata: s.Metadata, Settings: s.Settings, Version: s.Version, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt,
		PublishedAt: s.PublishedAt, DeletedAt: s.DeletedAt, Role: role.String()}
}

// StoryInput carries the fields of a new or changed story; nil fields are absent.
type StoryInput struct {
	Version     *int             `json:"version"`
	Title       *string          `json:"title"`
	Subtitle    *string          `json:"subtitle"`
	Genre       *string          `json:"genre"`
	ContentType *string          `json:"content_type"`
	Description *string          `json:"description"`
	CoverFileID json.RawMessage  `json:"cover_file_id"` // a UUID, or null to remove
	Status      *string          `json:"status"`
	Visibility  *string          `json:"visibility"`
	Synopsis    *string          `json:"synopsis"`
	StyleGuide  *string          `json:"style_guide"`
	Metadata    *json.RawMessage `json:"metadata"`
	Settings    *json.RawMessage `json:"settings"`
}

func oneOf(field, v string, allowed []string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return errs.Field(field, "%s must be one of %s, not %q", field, strings.Join(allowed, ", "), v)
}

// cleanText checks a text field: valid UTF-8, no control characters but newlines
// and tabs (when multiline), at most max characters. It returns it trimmed.
func cleanText(field, s string, max int, multiline bool) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", errs.Field(field, "%s is not valid UTF-8", field)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", errs.Field(field, "%s is %d characters long; the limit is %d", field, n, max)
	}
	for _, r := range s {
		allowed := multiline && (r == '\n' || r == '\t')
		if unicode.IsControl(r) && !allowed {
			return "", errs.Field(field, "%s contains control characters", field)
		}
	}
	return s, nil
}

// jsonObject checks that raw is a JSON object of at most maxJSONBlob bytes.
func jsonObject(field string, raw json.RawMessage) (json.RawMessage, error) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '{' {
		return nil, errs.Field(field, "%s must be a JSON object", field)
	}
	if len(t) > maxJSONBlob {
		return nil, errs.Field(field, "%s is larger than %d bytes", field, maxJSONBlob)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, t); err != nil {
		return nil, errs.Field(field, "%s is not valid JSON", field)
	}
	return buf.Bytes(), nil
}

// apply copies the present fields of in onto s, validating each. Publishing is not a
// field change: status "published" is only reached through Publish.
func (in *StoryInput) apply(s *Story) (coverChanged bool, err error) {
	if in.Title != nil {
		if s.Title, err = cleanText("title", *in.Title, maxTitle, false); err != nil {
			return false, err
		}
	}
	if strings.TrimSpace(s.Title) == "" {
		return false, errs.Field("title", "title is required")
	}
	if in.Subtitle != nil {
		if s.Subtitle, err = cleanText("subtitle", *in.Subtitle, maxTitle, false); err != nil {
			return false, err
		}
	}
	if in.Genre != nil {
		if s.Genre, err = cleanText("genre", *in.Genre, maxGenre, false); err != nil {
			return false, err
		}
	}
	if in.Description != nil {
		if s.Description, err = cleanText("description", *in.Description, maxLongText, true); err != nil {
			return false, err
		}
	}
	if in.Synopsis != nil {
		if s.Synopsis, err = cleanText("synopsis", *in.Synopsis, maxLongText, true); err != nil {
			return false, err
		}
	}
	if in.StyleGuide != nil {
		if s.StyleGuide, err = cleanText("style_guide", *in.StyleGuide, maxLongText, true); err != nil {
			return false, err
		}
	}
	if in.ContentType != nil {
		if err := oneOf("content_type", *in.ContentType, ContentTypes); err != nil {
			return false, err
		}
		s.ContentType = *in.ContentType
	}
	if in.Status != nil {
		if *in.Status == "published" && s.Status != "published" {
			return false, errs.Field("status", "publish with POST /api/stories/{id}/publish")
		}
		if *in.Status != "published" && s.Status == "published" {
			return false, errs.Field("status", "unpublish with POST /api/stories/{id}/unpublish first")
		}
		if err := oneOf("status", *in.Status, Statuses); err != nil {
			return false, err
		}
		s.Status = *in.Status
	}
	if in.Visibility != nil {
		if err := oneOf("visibility", *in.Visibility, Visibilities); err != nil {
			return false, err
		}
		s.Visibility = *in.Visibility
	}
	if in.Metadata != nil {
		if s.Metadata, err = jsonObject("metadata", *in.Metadata); err != nil {
			return false, err
		}
	}
	if in.Settings != nil {
		if s.Settings, err = jsonObject("settings", *in.Settings); err != nil {
			return false, err
		}
	}
	if len(in.CoverFileID) > 0 {
		raw := bytes.TrimSpace(in.CoverFileID)
		if string(raw) == "null" {
			s.CoverFileID = ""
		} else {
			var id string
			if json.Unmarshal(raw, &id) != nil {
				return false, errs.Field("cover_file_id", "cover_file_id must be a file id (UUID) or null")
			}
			u, err := uuid.Parse(id)
			if err != nil || len(id) != 36 {
				return false, errs.Field("cover_file_id", "cover_file_id must be a file id (UUID) or null")
			}
			s.CoverFileID = u.String()
		}
		coverChanged = true
	}
	return coverChanged, nil
}
