package app_test

import (
	"archive/zip"
	"bytes"
	"image"
	pngenc "image/png"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/app"
	"github.com/authorworks/authorworks/internal/blob/blobtest"
	"github.com/authorworks/authorworks/internal/testenv"
)

type exportRecord struct {
	ID          string  `json:"id"`
	StoryID     string  `json:"story_id"`
	Format      string  `json:"format"`
	Status      string  `json:"status"`
	Progress    int     `json:"progress"`
	Error       string  `json:"error"`
	FileID      *string `json:"file_id"`
	FileSize    int64   `json:"file_size"`
	DownloadURL string  `json:"download_url"`
	Reused      bool    `json:"reused"`
}

// upload posts a file as multipart/form-data and returns the response.
func (a *testApp) upload(t testing.TB, token, purpose, storyID, name string, data []byte) *response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("purpose", purpose)
	if storyID != "" {
		_ = mw.WriteField("story_id", storyID)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.Close()
	return a.do(t, req{Method: "POST", Path: "/api/upload", Token: token, RawBody: body.String(),
		Header: map[string]string{"Content-Type": mw.FormDataContentType()}})
}

// waitExport polls an export until it is completed or failed.
func (a *testApp) waitExport(t testing.TB, token, id string) exportRecord {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		var e exportRecord
		a.do(t, req{Method: "GET", Path: "/api/exports/" + id, Token: token}).expect(t, http.StatusOK, "").into(t, &e)
		if e.Status == "completed" || e.Status == "failed" {
			return e
		}
		if time.Now().After(deadline) {
			t.Fatalf("export %s still %s", id, e.Status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// fetched is a downloaded body with its status and headers.
type fetched struct {
	StatusCode int
	Header     http.Header
}

func (a *testApp) download(t testing.TB, token, path string) (fetched, []byte) {
	t.Helper()
	hr, _ := http.NewRequest("GET", a.URL+path, nil)
	hr.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return fetched{StatusCode: resp.StatusCode, Header: resp.Header}, b
}

// withS3 keeps the app's files in a real S3-compatible server (versitygw)
// started for the test.
func withS3(t testing.TB) bootOption {
	srv := blobtest.StartS3(t)
	return func(env map[string]string, _ *app.Options) {
		env["MINIO_ENDPOINT"] = "http://" + srv.Endpoint
		env["MINIO_ACCESS_KEY"] = srv.AccessKey
		env["MINIO_SECRET_KEY"] = srv.SecretKey
		env["MINIO_BUCKET"] = "awtest-exports"
		env["MINIO_REGION"] = srv.Region
	}
}

// Exports on both backends; on the production one the files go to S3.
func TestExportsMakeReuseAndDownload(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			var opts []bootOption
			if b == production {
				opts = append(opts, withS3(t))
			}
			a := boot(t, b, opts...)
			owner := a.register(t, "export_owner")
			viewer := a.register(t, "export_viewer")
			stranger := a.register(t, "export_stranger")
			st := a.createStory(t, owner.AccessToken, "The Salt Road")
			a.addCollaborator(t, owner.AccessToken, st.ID, "export_viewer", "viewer")
			a.createChapter(t, owner.AccessToken, st.ID, "Harbour", "The fog came in at *dusk*.\n\n***\n\nShe ran.")
			a.createChapter(t, owner.AccessToken, st.ID, "Low Water", "At low water the causeway showed itself.")

			for _, tc := range []struct {
				format, magic, media string
			}{
				{"docx", "PK", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
				{"pdf", "%PDF", "application/pdf"},
				{"markdown", "# The Salt Road", "text/markdown; charset=utf-8"},
			} {
				var e exportRecord
				a.do(t, req{Method: "POST", Path: "/api/export", Token: viewer.AccessToken,
					Body: map[string]any{"story_id": st.ID, "format": tc.format}}).expect(t, http.StatusAccepted, "").into(t, &e)
				e = a.waitExport(t, viewer.AccessToken, e.ID)
				if e.Status != "completed" || e.DownloadURL == "" || e.FileSize == 0 {
					t.Fatalf("%s export = %+v", tc.format, e)
				}
				var provider string
				if err := a.DB.QueryRowContext(t.Context(), `SELECT storage_provider FROM storage_metadata WHERE id = $1`, *e.FileID).
					Scan(&provider); err != nil {
					t.Fatal(err)
				}
				if want := map[backend]string{embedded: "local", production: "minio"}[b]; provider != want {
					t.Errorf("the export file is stored on %s, want %s", provider, want)
				}
				resp, body := a.download(t, viewer.AccessToken, e.DownloadURL)
				if resp.StatusCode != 200 || !bytes.HasPrefix(body, []byte(tc.magic)) || resp.Header.Get("Content-Type") != tc.media ||
					!strings.Contains(resp.Header.Get("Content-Disposition"), "The Salt Road") || int64(len(body)) != e.FileSize {
					t.Fatalf("%s download: %d %v, %d bytes", tc.format, resp.StatusCode, resp.Header, len(body))
				}
				if tc.format == "docx" {
					zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
					if err != nil {
						t.Fatal(err)
					}
					found := false
					for _, f := range zr.File {
						found = found || f.Name == "word/document.xml"
					}
					if !found {
						t.Error("the docx has no word/document.xml")
					}
				}
				// The same request for unchanged text reuses the file.
				var again exportRecord
				a.do(t, req{Method: "POST", Path: "/api/export", Token: owner.AccessToken,
					Body: map[string]any{"story_id": st.ID, "format": tc.format}}).expect(t, http.StatusOK, "").into(t, &again)
				if again.ID != e.ID || !again.Reused {
					t.Errorf("%s: a repeated request made a new export: %+v", tc.format, again)
				}
				a.do(t, req{Method: "GET", Path: "/api/exports/" + e.ID, Token: stranger.AccessToken}).expect(t, http.StatusNotFound, "NOT_FOUND")
				if resp, _ := a.download(t, stranger.AccessToken, e.DownloadURL); resp.StatusCode != http.StatusNotFound {
					t.Errorf("a stranger downloaded an export: %d", resp.StatusCode)
				}
			}

			// A change to the text makes the next export new.
			a.createChapter(t, owner.AccessToken, st.ID, "Epilogue", "It was over.")
			var fresh exportRecord
			a.do(t, req{Method: "POST", Path: "/api/export", Token: owner.AccessToken,
				Body: map[string]any{"story_id": st.ID, "format": "markdown"}}).expect(t, http.StatusAccepted, "").into(t, &fresh)
			if fresh.Reused {
				t.Error("an export of changed text reused the old file")
			}
			fresh = a.waitExport(t, owner.AccessToken, fresh.ID)
			if _, body := a.download(t, owner.AccessToken, fresh.DownloadURL); !strings.Contains(string(body), "It was over.") {
				t.Error("the new export lacks the new chapter")
			}
			var list []exportRecord
			a.do(t, req{Method: "GET", Path: "/api/stories/" + st.ID + "/exports", Token: viewer.AccessToken}).
				expect(t, http.StatusOK, "").into(t, &list)
			if len(list) != 4 {
				t.Errorf("%d exports listed, want 4", len(list))
			}

			// Bad requests.
			for _, tc := range []struct {
				body  map[string]any
				field string
			}{
				{map[string]any{"story_id": st.ID, "format": "pages"}, "format"},
				{map[string]any{"story_id": st.ID, "format": "fdx"}, "format"},
				{map[string]any{"story_id": st.ID, "format": "pdf", "options": map[string]any{"trim": "7x10"}}, "options.trim"},
				{map[string]any{"story_id": st.ID, "format": "markdown", "options": map[string]any{"trim": "6x9"}}, "options.trim"},
				{map[string]any{"story_id": "nope", "format": "pdf"}, "story_id"},
			} {
				r := a.do(t, req{Method: "POST", Path: "/api/export", Token: owner.AccessToken, Body: tc.body}).
					expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
				if r.Error.Field != tc.field {
					t.Errorf("%v: field %q, want %q", tc.body, r.Error.Field, tc.field)
				}
			}
			r := a.do(t, req{Method: "POST", Path: "/api/export", Token: owner.AccessToken, Body: map[string]any{"story_id": st.ID,
				"format": "docx", "options": map[string]any{"contact": map[string]any{"name": "Ada Marsh", "address": []string{"12 Harbour Row"}}}}}).
				expect(t, http.StatusAccepted, "")
			if !strings.Contains(string(r.Data), `"contact":{"name":"Ada Marsh","address":["12 Harbour Row"]}`) {
				t.Errorf("export options = %s", r.Data)
			}
			a.do(t, req{Method: "POST", Path: "/api/export", Token: stranger.AccessToken,
				Body: map[string]any{"story_id": st.ID, "format": "pdf"}}).expect(t, http.StatusNotFound, "NOT_FOUND")
		})
	}
}

func TestImportManuscript(t *testing.T) {
	a := boot(t, embedded)
	owner := a.register(t, "import_owner")
	other := a.register(t, "import_other")
	md := "# The Salt Road\n\n## Harbour\n\nThe fog came in at *dusk*.\n\n***\n\nShe ran.\n\n## Low Water\n\nAt low water the causeway showed itself.\n"
	var file struct {
		ID string `json:"id"`
	}
	a.upload(t, owner.AccessToken, "import", "", "salt-road.md", []byte(md)).expect(t, http.StatusCreated, "").into(t, &file)

	var pv struct {
		Title    string `json:"title"`
		Chapters []struct {
			Title string `json:"title"`
			Words int    `json:"word_count"`
		} `json:"chapters"`
	}
	a.do(t, req{Method: "POST", Path: "/api/imports/preview", Token: owner.AccessToken, Body: map[string]any{"file_id": file.ID}}).
		expect(t, http.StatusOK, "").into(t, &pv)
	if pv.Title != "The Salt Road" || len(pv.Chapters) != 2 || pv.Chapters[0].Title != "Harbour" {
		t.Fatalf("preview = %+v", pv)
	}
	a.do(t, req{Method: "POST", Path: "/api/imports/preview", Token: other.AccessToken, Body: map[string]any{"file_id": file.ID}}).
		expect(t, http.StatusNotFound, "NOT_FOUND")

	var st story
	r := a.do(t, req{Method: "POST", Path: "/api/imports", Token: owner.AccessToken, Body: map[string]any{"file_id": file.ID}}).
		expect(t, http.StatusCreated, "")
	r.into(t, &st)
	if st.Title != "The Salt Road" || st.WordCount == 0 || r.Header.Get("Location") != "/api/stories/"+st.ID {
		t.Fatalf("imported story = %+v", st)
	}
	var chapters []chapter
	a.do(t, req{Method: "GET", Path: "/api/stories/" + st.ID + "/chapters", Token: owner.AccessToken}).
		expect(t, http.StatusOK, "").into(t, &chapters)
	if len(chapters) != 2 || chapters[1].Title != "Low Water" {
		t.Fatalf("chapters = %+v", chapters)
	}
	var c chapter
	a.do(t, req{Method: "GET", Path: "/api/chapters/" + chapters[0].ID, Token: owner.AccessToken}).
		expect(t, http.StatusOK, "").into(t, &c)
	if !strings.Contains(string(c.Content), `"italic":true`) || !strings.Contains(string(c.Content), `"scene_break"`) {
		t.Errorf("chapter 1 lost its italics or scene break: %s", c.Content)
	}

	// A picture is not a manuscript; a cover is not an import.
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde")
	a.upload(t, owner.AccessToken, "import", "", "book.docx", png).expect(t, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE")
}

// An EPUB of a story with an uploaded cover passes epubcheck with no errors or
// warnings, as made by the running server.
func TestEPUBExportWithCoverPassesEpubcheck(t *testing.T) {
	a := boot(t, embedded)
	owner := a.register(t, "epub_owner")
	st := a.createStory(t, owner.AccessToken, "Low Water & High Tide")
	a.createChapter(t, owner.AccessToken, st.ID, "Harbour", "The fog came in at *dusk*.\n\n***\n\n“She ran,” he said.")
	img := image.NewRGBA(image.Rect(0, 0, 200, 300))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var png bytes.Buffer
	if err := pngenc.Encode(&png, img); err != nil {
		t.Fatal(err)
	}
	var cover struct {
		ID string `json:"id"`
	}
	a.upload(t, owner.AccessToken, "cover", st.ID, "cover.png", png.Bytes()).expect(t, http.StatusCreated, "").into(t, &cover)
	a.do(t, req{Method: "PUT", Path: "/api/stories/" + st.ID, Token: owner.AccessToken,
		Body: map[string]any{"version": st.Version, "cover_file_id": cover.ID}}).expect(t, http.StatusOK, "")

	var e exportRecord
	a.do(t, req{Method: "POST", Path: "/api/export", Token: owner.AccessToken, Body: map[string]any{"story_id": st.ID, "format": "epub"}}).
		expect(t, http.StatusAccepted, "").into(t, &e)
	e = a.waitExport(t, owner.AccessToken, e.ID)
	if e.Status != "completed" {
		t.Fatalf("export = %+v", e)
	}
	_, body := a.download(t, owner.AccessToken, e.DownloadURL)
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	hasCover := false
	for _, f := range zr.File {
		hasCover = hasCover || strings.HasSuffix(f.Name, ".png")
	}
	if !hasCover {
		t.Error("the EPUB has no cover image")
	}
	path := filepath.Join(t.TempDir(), "book.epub")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	java, jar := testenv.Tool(t, "java"), testenv.Tool(t, "epubcheck")
	out, err := exec.Command(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar, path, "--failonwarnings").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "No errors or warnings detected") {
		t.Fatalf("epubcheck: %v\n%s", err, out)
	}
}
