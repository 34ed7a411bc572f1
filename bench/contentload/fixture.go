//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/authorworks/authorworks/bench/internal/load"
)

// fixture is the data the load runs on, created through the server's API.
type fixture struct {
	token        string // the owner's access token
	storyID      string // the story GET reads, with -chapters chapters
	storyTitle   string
	chapterWords int     // a chapter's word_count, as the server counted it
	savers       []saver // one per worker
}

// saver is the chapter one saving worker owns, in a story of its own, and the
// version its last save returned.
type saver struct {
	chapterID string
	version   int
	revision  int // saves sent; the document's revision number in the last one
}

type created struct {
	ID        string `json:"id"`
	Version   int    `json:"version"`
	WordCount int    `json:"word_count"`
}

// createFixture registers the owner (once: registration is rate limited per IP),
// creates the story GET reads with its chapters, and a story with one chapter for
// each saving worker.
func createFixture(ctx context.Context, client *http.Client, base string, o options, doc *document) (*fixture, error) {
	token, err := load.Register(ctx, client, base)
	if err != nil {
		return nil, err
	}
	fx := &fixture{token: token, storyTitle: "The benchmark", savers: make([]saver, o.concurrency)}
	if fx.storyID, err = createStory(ctx, client, base, token, fx.storyTitle); err != nil {
		return nil, err
	}
	for i := range o.chapters {
		c, err := createChapter(ctx, client, base, token, fx.storyID, i+1, doc)
		if err != nil {
			return nil, err
		}
		fx.chapterWords = c.WordCount
	}
	for i := range fx.savers {
		id, err := createStory(ctx, client, base, token, fmt.Sprintf("Writer %d", i+1))
		if err != nil {
			return nil, err
		}
		c, err := createChapter(ctx, client, base, token, id, 1, doc)
		if err != nil {
			return nil, err
		}
		fx.savers[i] = saver{chapterID: c.ID, version: c.Version}
	}
	var st load.Envelope[struct {
		ID   string `json:"id"`
		Role string `json:"role"`
	}]
	if err := load.Call(ctx, client, http.MethodGet, base+"/api/stories/"+fx.storyID, token, nil, http.StatusOK, &st); err != nil {
		return nil, err
	}
	if st.Data.ID != fx.storyID || st.Data.Role != "owner" {
		return nil, fmt.Errorf("GET /api/stories/{id}: got id %q role %q, want %q owner", st.Data.ID, st.Data.Role, fx.storyID)
	}
	return fx, nil
}

func createStory(ctx context.Context, client *http.Client, base, token, title string) (string, error) {
	var st load.Envelope[created]
	if err := load.Call(ctx, client, http.MethodPost, base+"/api/stories", token,
		map[string]string{"title": title}, http.StatusCreated, &st); err != nil {
		return "", err
	}
	return st.Data.ID, nil
}

func createChapter(ctx context.Context, client *http.Client, base, token, storyID string, n int, doc *document) (created, error) {
	var c load.Envelope[created]
	err := load.Call(ctx, client, http.MethodPost, base+"/api/stories/"+storyID+"/chapters", token,
		map[string]any{"title": fmt.Sprintf("Chapter %d", n), "content": doc.content(0)}, http.StatusCreated, &c)
	if err != nil {
		return created{}, err
	}
	if c.Data.ID == "" || c.Data.Version < 1 {
		return created{}, fmt.Errorf("POST /api/stories/{id}/chapters: got id %q version %d", c.Data.ID, c.Data.Version)
	}
	return c.Data, nil
}

// checkBaseline checks that the baseline reads the story the server does.
func checkBaseline(ctx context.Context, client *http.Client, base string, fx *fixture) error {
	var st load.Envelope[struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}]
	if err := load.Call(ctx, client, http.MethodGet, base+"/api/stories/"+fx.storyID, "", nil, http.StatusOK, &st); err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	if st.Data.ID != fx.storyID || st.Data.Title != fx.storyTitle {
		return fmt.Errorf("baseline: GET /api/stories/{id}: got id %q title %q, want %q %q", st.Data.ID, st.Data.Title, fx.storyID, fx.storyTitle)
	}
	return nil
}

// countVersions returns how many versions a chapter's history holds.
func countVersions(ctx context.Context, client *http.Client, base, token, chapterID string) (int, error) {
	var list load.Envelope[[]json.RawMessage]
	if err := load.Call(ctx, client, http.MethodGet, base+"/api/chapters/"+chapterID+"/versions", token, nil, http.StatusOK, &list); err != nil {
		return 0, err
	}
	return len(list.Data), nil
}

// saveSteps returns the steps of the save load: worker i saves a new revision of
// the document over savers[i]'s chapter with the version its last save returned
// (in data.version), and keeps the new one.
func saveSteps(ctx context.Context, client *http.Client, base, token string, savers []saver, doc *document) func(int) (load.Step, error) {
	return func(i int) (load.Step, error) {
		s := &savers[i]
		url := base + "/api/chapters/" + s.chapterID
		var resp bytes.Buffer
		return func() error {
			s.revision++
			req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, bytes.NewReader(doc.saveBody(s.version, s.revision)))
			if err != nil {
				return err
			}
			req.Header.Set("Content-Type", "application/json")
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			res, err := client.Do(req)
			if err != nil {
				return err
			}
			resp.Reset()
			_, err = resp.ReadFrom(res.Body)
			res.Body.Close()
			switch {
			case res.StatusCode != http.StatusOK:
				return load.StatusError(res.StatusCode)
			case err != nil:
				return errors.New("read body: " + err.Error())
			}
			v, err := dataVersion(resp.Bytes())
			if err != nil {
				return err
			}
			if v != s.version+1 {
				return errors.New("data.version is not the saved version + 1")
			}
			s.version = v
			return nil
		}, nil
	}
}

var errNoVersion = errors.New("no data.version in the response")

// dataVersion reads data.version from an envelope, decoding no further than it:
// a saved chapter's content comes after its version.
func dataVersion(body []byte) (int, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if !openObject(dec) {
		return 0, errNoVersion
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return 0, errNoVersion
		}
		if key != "data" {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return 0, errNoVersion
			}
			continue
		}
		if !openObject(dec) {
			return 0, errNoVersion
		}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return 0, errNoVersion
			}
			if key == "version" {
				var v int
				if dec.Decode(&v) != nil {
					return 0, errNoVersion
				}
				return v, nil
			}
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return 0, errNoVersion
			}
		}
		break
	}
	return 0, errNoVersion
}

func openObject(dec *json.Decoder) bool {
	t, err := dec.Token()
	return err == nil && t == json.Delim('{')
}
