package content

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/outbox"
)

// Version policy: saves by the same person within coalesceWindow of a version's
// start fold into it (autosave every few seconds must not make thousands of
// versions); a chapter or a scene keeps its newest maxVersions.
const (
	coalesceWindow = 5 * time.Minute
	maxVersions    = 200
)

// Version is a recorded state of a chapter's or a scene's content.
type Version struct {
	Number        int           `json:"version_number"`
	Kind          string        `json:"kind"`
	Title         string        `json:"title"`
	WordCount     int           `json:"word_count"`
	ChangeSummary string        `json:"change_summary"`
	CreatedBy     *string       `json:"created_by"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
	Content       *document.Doc `json:"content,omitempty"`
}

// versionOwner is what a line of versions belongs to: a chapter's own content
// (chapterID) or a scene (sceneID). A scene's versions leave chapter_id empty,
// since the scene may move to another chapter.
type versionOwner struct {
	storyID   string
	chapterID string
	sceneID   string
}

func chapterVersions(c *Chapter) versionOwner {
	return versionOwner{storyID: c.StoryID, chapterID: c.ID}
}

func sceneVersions(sc *Scene) versionOwner { return versionOwner{storyID: sc.StoryID, sceneID: sc.ID} }

// what names the owner in messages.
func (o versionOwner) what() string {
	if o.sceneID != "" {
		return "scene"
	}
	return "chapter"
}

// where returns the SQL condition that selects the owner's versions, taking the
// owner's id as the first argument ($1), and that id.
func (o versionOwner) where() (string, string) {
	if o.sceneID != "" {
		return "scene_id = $1", o.sceneID
	}
	return "chapter_id = $1 AND scene_id IS NULL", o.chapterID
}

// recordVersion records c's content (body, its JSON) as a version, or folds it into
// the latest one when the same person saved moments ago.
func (s *Service) recordVersion(ctx context.Context, tx *sql.Tx, c *Chapter, userID, kind, summary, body string) error {
	return s.record(ctx, tx, chapterVersions(c), c.Title, c.Content.WordCount(), userID, kind, summary, body)
}

// recordSceneVersion is recordVersion for a scene.
func (s *Service) recordSceneVersion(ctx context.Context, tx *sql.Tx, sc *Scene, userID, kind, summary, body string) error {
	return s.record(ctx, tx, sceneVersions(sc), sc.Title, sc.WordCount, userID, kind, summary, body)
}

// record records body as the owner's newest version, or folds it into the latest
// one when the same person saved moments ago without a summary. words is the
// word count of body alone (a chapter's own text, without its scenes).
func (s *Service) record(ctx context.Context, tx *sql.Tx, o versionOwner, title string, words int, userID, kind, summary, body string) error {
	now := s.nowUTC()
	cond, ownerID := o.where()
	var (
		id, lastKind string
		number       int
		by           sql.NullString
		created      time.Time
	)
	err := tx.QueryRowContext(ctx, `SELECT id, version_number, kind, created_by, created_at FROM version_history
	WHERE `+cond+` ORDER BY version_number DESC LIMIT 1`, ownerID).
		Scan(&id, &number, &lastKind, &by, &created)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		number = 0
	case err != nil:
		return fmt.Errorf("content: read latest version: %w", err)
	case kind == "save" && lastKind == "save" && summary == "" && by.String == userID && now.Sub(created) < coalesceWindow:
		_, err := tx.ExecContext(ctx, `UPDATE version_history SET content_snapshot = $1, word_count = $2, title = $3, updated_at = $4
		WHERE id = $5`, body, words, title, now, id)
		if err != nil {
			return fmt.Errorf("content: fold version: %w", err)
		}
		return nil
	}
	number++
	if _, err := tx.ExecContext(ctx, `INSERT INTO version_history (id, book_id, chapter_id, scene_id, version_number,
		content_snapshot, change_summary, created_by, created_at, kind, word_count, title, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $9)`,
		uuid.NewString(), o.storyID, nullable(o.chapterID), nullable(o.sceneID), number, body, summary, nullable(userID),
		now, kind, words, title); err != nil {
		return fmt.Errorf("content: record version: %w", err)
	}
	if number > maxVersions {
		if _, err := tx.ExecContext(ctx, `DELETE FROM version_history WHERE `+cond+` AND version_number <= $2`,
			ownerID, number-maxVersions); err != nil {
			return fmt.Errorf("content: drop old versions: %w", err)
		}
	}
	return nil
}

// versionCols reads updated_at as it is, not through COALESCE: SQLite returns an
// expression's time as text, which does not scan into a time.Time.
const versionCols = `version_number, kind, title, word_count, change_summary, created_by, created_at, updated_at`

func scanVersion(row interface{ Scan(...any) error }, content *[]byte) (*Version, error) {
	var (
		v       Version
		by      sql.NullString
		updated sql.NullTime
	)
	dest := []any{&v.Number, &v.Kind, &v.Title, &v.WordCount, &v.ChangeSummary, &by, &v.CreatedAt, &updated}
	if content != nil {
		dest = append(dest, content)
	}
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	if by.Valid {
		v.CreatedBy = &by.String
	}
	v.CreatedAt, v.UpdatedAt = v.CreatedAt.UTC(), v.CreatedAt.UTC()
	if updated.Valid {
		v.UpdatedAt = updated.Time.UTC()
	}
	return &v, nil
}

// listVersions returns the owner's versions without content, newest first.
func listVersions(ctx context.Context, q querier, o versionOwner) ([]Version, error) {
	cond, ownerID := o.where()
	rows, err := q.QueryContext(ctx, `SELECT `+versionCols+` FROM version_history
	WHERE `+cond+` ORDER BY version_number DESC`, ownerID)
	if err != nil {
		return nil, fmt.Errorf("content: list versions: %w", err)
	}
	defer rows.Close()
	out := []Version{}
	for rows.Next() {
		v, err := scanVersion(rows, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

func loadVersion(ctx context.Context, q querier, o versionOwner, number int) (*Version, error) {
	cond, ownerID := o.where()
	var body []byte
	v, err := scanVersion(q.QueryRowContext(ctx, `SELECT `+versionCols+`, content_snapshot FROM version_history
	WHERE `+cond+` AND version_number = $2`, ownerID, number), &body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "version %d of this %s not found", number, o.what())
	}
	if err != nil {
		return nil, fmt.Errorf("content: load version: %w", err)
	}
	var d document.Doc
	if err := json.Unmarshal(body, &d); err != nil {
		return nil, fmt.Errorf("content: version %d of %s %s does not decode: %w", number, o.what(), ownerID, err)
	}
	v.Content = &d
	return v, nil
}

// chapterHistory returns the versions of a chapter the caller (a collaborator) may read.
func (s *Service) chapterHistory(ctx context.Context, p auth.Principal, chapterID string) (versionOwner, error) {
	c, _, role, err := s.chapterAccess(ctx, s.db, &p, chapterID)
	if err != nil {
		return versionOwner{}, err
	}
	if err := need(role, RoleViewer, "see its history"); err != nil {
		return versionOwner{}, errs.E(errs.NotFound, "chapter not found")
	}
	return chapterVersions(c), nil
}

// sceneHistory returns the versions of a scene the caller (a collaborator) may read.
func (s *Service) sceneHistory(ctx context.Context, p auth.Principal, sceneID string) (versionOwner, error) {
	sc, _, role, err := s.sceneAccess(ctx, s.db, &p, sceneID)
	if err != nil {
		return versionOwner{}, err
	}
	if err := need(role, RoleViewer, "see its history"); err != nil {
		return versionOwner{}, errs.E(errs.NotFound, "scene not found")
	}
	return sceneVersions(sc), nil
}

// Versions lists a chapter's versions, newest first (collaborators only).
func (s *Service) Versions(ctx context.Context, p auth.Principal, chapterID string) ([]Version, error) {
	o, err := s.chapterHistory(ctx, p, chapterID)
	if err != nil {
		return nil, err
	}
	return listVersions(ctx, s.db, o)
}

// Version returns one version of a chapter with its content.
func (s *Service) Version(ctx context.Context, p auth.Principal, chapterID string, number int) (*Version, error) {
	o, err := s.chapterHistory(ctx, p, chapterID)
	if err != nil {
		return nil, err
	}
	return loadVersion(ctx, s.db, o, number)
}

// SceneVersions lists a scene's versions, newest first (collaborators only).
func (s *Service) SceneVersions(ctx context.Context, p auth.Principal, sceneID string) ([]Version, error) {
	o, err := s.sceneHistory(ctx, p, sceneID)
	if err != nil {
		return nil, err
	}
	return listVersions(ctx, s.db, o)
}

// SceneVersion returns one version of a scene with its content.
func (s *Service) SceneVersion(ctx context.Context, p auth.Principal, sceneID string, number int) (*Version, error) {
	o, err := s.sceneHistory(ctx, p, sceneID)
	if err != nil {
		return nil, err
	}
	return loadVersion(ctx, s.db, o, number)
}

// DiffOp is one step of a diff between two texts, paragraph by paragraph.
type DiffOp struct {
	Op   string `json:"op"` // equal, insert or delete
	Text string `json:"text"`
}

// Diff is the difference between two versions of a chapter or a scene.
type Diff struct {
	From int      `json:"from"`
	To   int      `json:"to"`
	Ops  []DiffOp `json:"ops"`
}

// DiffVersions compares two versions of a chapter paragraph by paragraph.
func (s *Service) DiffVersions(ctx context.Context, p auth.Principal, chapterID string, from, to int) (*Diff, error) {
	o, err := s.chapterHistory(ctx, p, chapterID)
	if err != nil {
		return nil, err
	}
	return diffVersions(ctx, s.db, o, from, to)
}

// DiffSceneVersions compares two versions of a scene paragraph by paragraph.
func (s *Service) DiffSceneVersions(ctx context.Context, p auth.Principal, sceneID string, from, to int) (*Diff, error) {
	o, err := s.sceneHistory(ctx, p, sceneID)
	if err != nil {
		return nil, err
	}
	return diffVersions(ctx, s.db, o, from, to)
}

func diffVersions(ctx context.Context, q querier, o versionOwner, from, to int) (*Diff, error) {
	a, err := loadVersion(ctx, q, o, from)
	if err != nil {
		return nil, err
	}
	b, err := loadVersion(ctx, q, o, to)
	if err != nil {
		return nil, err
	}
	return &Diff{From: from, To: to, Ops: diffParagraphs(paragraphs(*a.Content), paragraphs(*b.Content))}, nil
}

func paragraphs(d document.Doc) []string {
	t := d.PlainText()
	if t == "" {
		return nil
	}
	return strings.Split(t, "\n\n")
}

// maxDiffCells bounds the LCS table; beyond it the diff is "all deleted, all inserted".
const maxDiffCells = 16_000_000

// diffParagraphs is a longest-common-subsequence diff of two paragraph lists.
func diffParagraphs(a, b []string) []DiffOp {
	ops := []DiffOp{}
	if len(a)*len(b) > maxDiffCells {
		for _, p := range a {
			ops = append(ops, DiffOp{"delete", p})
		}
		for _, p := range b {
			ops = append(ops, DiffOp{"insert", p})
		}
		return ops
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			ops = append(ops, DiffOp{"equal", a[i]})
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			ops = append(ops, DiffOp{"delete", a[i]})
			i++
		default:
			ops = append(ops, DiffOp{"insert", b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		ops = append(ops, DiffOp{"delete", a[i]})
	}
	for ; j < len(b); j++ {
		ops = append(ops, DiffOp{"insert", b[j]})
	}
	return ops
}

// RestoreVersion makes an old version the chapter's content again. The restore is
// itself a new version, so nothing is lost; chapterVersion must be current.
func (s *Service) RestoreVersion(ctx context.Context, p auth.Principal, chapterID string, number, chapterVersion int) (*Chapter, error) {
	if chapterVersion < 1 {
		return nil, errs.Field("version", "version (the chapter's current version) is required")
	}
	var out *Chapter
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		c, err := s.editableChapter(ctx, tx, p, chapterID, "restore versions")
		if err != nil {
			return err
		}
		if c.Version != chapterVersion {
			return versionConflict("the chapter", c.View(FormatJSON))
		}
		v, err := loadVersion(ctx, tx, chapterVersions(c), number)
		if err != nil {
			return err
		}
		body, err := marshalDoc(*v.Content)
		if err != nil {
			return err
		}
		now := s.nowUTC()
		c.Content, c.PlainText, c.UpdatedAt = *v.Content, v.Content.PlainText(), now
		if err := s.includeSceneWords(ctx, tx, c); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE chapters SET content = $1, plain_text = $2, word_count = $3, updated_at = $4,
			version = version + 1 WHERE id = $5 AND version = $6`, body, c.PlainText, c.WordCount, now, c.ID, chapterVersion)
		if err != nil {
			return fmt.Errorf("content: restore chapter: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			cur, err := getChapter(ctx, tx, chapterID)
			if err != nil {
				return err
			}
			return versionConflict("the chapter", cur.View(FormatJSON))
		}
		c.Version++
		if err := s.recordVersion(ctx, tx, c, p.UserID, "restore", fmt.Sprintf("restored version %d", number), body); err != nil {
			return err
		}
		if err := refreshWordCount(ctx, tx, c.StoryID, now); err != nil {
			return err
		}
		out = c
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "chapter.saved", AggregateID: c.ID, ActorID: p.UserID,
			Payload: map[string]any{"story_id": c.StoryID, "version": c.Version, "word_count": c.WordCount, "restored_from": number}})
	})
	return out, err
}

// RestoreSceneVersion makes an old version the scene's content again, as a new
// version; sceneVersion must be current.
func (s *Service) RestoreSceneVersion(ctx context.Context, p auth.Principal, sceneID string, number, sceneVersion int) (*Scene, error) {
	if sceneVersion < 1 {
		return nil, errs.Field("version", "version (the scene's current version) is required")
	}
	var out *Scene
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		sc, _, err := s.writableScene(ctx, tx, p, sceneID, "restore versions")
		if err != nil {
			return err
		}
		if sc.Version != sceneVersion {
			return versionConflict("the scene", sc.View(FormatJSON))
		}
		v, err := loadVersion(ctx, tx, sceneVersions(sc), number)
		if err != nil {
			return err
		}
		body, err := marshalDoc(*v.Content)
		if err != nil {
			return err
		}
		own, err := chapterOwnWords(ctx, tx, sc.ChapterID)
		if err != nil {
			return err
		}
		now := s.nowUTC()
		sc.Content, sc.PlainText, sc.WordCount, sc.UpdatedAt = *v.Content, v.Content.PlainText(), v.Content.WordCount(), now
		if _, err := tx.ExecContext(ctx, `UPDATE scenes SET content = $1, plain_text = $2, word_count = $3, updated_at = $4,
			version = version + 1 WHERE id = $5`, body, sc.PlainText, sc.WordCount, now, sc.ID); err != nil {
			return fmt.Errorf("content: restore scene: %w", err)
		}
		sc.Version++
		if err := s.recordSceneVersion(ctx, tx, sc, p.UserID, "restore", fmt.Sprintf("restored version %d", number), body); err != nil {
			return err
		}
		if err := storeChapterWords(ctx, tx, sc.ChapterID, own); err != nil {
			return err
		}
		if err := refreshWordCount(ctx, tx, sc.StoryID, now); err != nil {
			return err
		}
		out = sc
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "scene.saved", AggregateID: sc.ID, ActorID: p.UserID,
			Payload: map[string]any{"story_id": sc.StoryID, "chapter_id": sc.ChapterID, "version": sc.Version,
				"word_count": sc.WordCount, "restored_from": number}})
	})
	return out, err
}
