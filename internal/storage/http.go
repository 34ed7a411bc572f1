package storage

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/httpapi"
)

// Handler serves the Storage service's HTTP API.
type Handler struct {
	svc *Service
}

// NewHandler returns the HTTP handlers of svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Routes registers the service's routes on mux.
func (h *Handler) Routes(mux httpapi.Mux) {
	mux.HandleFunc("POST /api/upload", httpapi.RequireAuth(h.upload))
	mux.HandleFunc("GET /api/files", httpapi.RequireAuth(h.list))
	// Anonymous callers may download the cover of a published story.
	mux.HandleFunc("GET /api/files/{id}", httpapi.OptionalAuth(h.download))
	mux.HandleFunc("DELETE /api/files/{id}", httpapi.RequireAuth(h.delete))
	mux.HandleFunc("GET /api/storage/usage", httpapi.RequireAuth(h.usage))
}

func principal(r *http.Request) auth.Principal {
	p, _ := auth.FromContext(r.Context())
	return p
}

// maxField caps the value of a form field other than the file.
const maxField = 256

// upload reads a multipart/form-data body as a stream: the fields purpose and
// story_id (either may come as a query parameter instead) must precede the file
// part, named "file", which must be the last part. The file's bytes go straight
// to the store as they arrive.
func (h *Handler) upload(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	q := r.URL.Query()
	in := UploadInput{StoryID: q.Get("story_id"), BodySize: r.ContentLength}
	if v := q.Get("purpose"); v != "" {
		purpose, err := parsePurpose(v)
		if err != nil {
			httpapi.Error(w, r, err)
			return
		}
		in.Purpose = purpose
	}
	// Refuse what cannot fit before reading a byte, so that a client waiting for
	// 100 Continue never sends it.
	if err := h.svc.Admit(r.Context(), p.UserID, in.Purpose, r.ContentLength); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		httpapi.Error(w, r, errs.E(errs.UnsupportedMedia, "Content-Type must be multipart/form-data with the file in a part named file"))
		return
	}
	// A large file on a slow link takes longer than the server's read timeout.
	if err := http.NewResponseController(w).SetReadDeadline(time.Now().Add(h.svc.uploadTimeout)); err != nil &&
		!errors.Is(err, http.ErrNotSupported) {
		httpapi.Error(w, r, err)
		return
	}
	body := http.MaxBytesReader(w, r.Body, h.svc.MaxUploadSize()+FormOverhead)
	mr := multipart.NewReader(body, params["boundary"])
	for in.Body == nil {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			httpapi.Error(w, r, errs.Field("file", "the form has no file; send it in a part named file"))
			return
		}
		if err != nil {
			httpapi.Error(w, r, bodyError(err))
			return
		}
		name := part.FormName()
		if name == "file" || part.FileName() != "" {
			if name != "file" {
				httpapi.Error(w, r, errs.Field(name, "send the file in a part named file, not %q", truncate(name, 40)))
				return
			}
			in.Name, in.Body = part.FileName(), &lastPart{part: part, mr: mr}
			break
		}
		val, err := readField(part)
		if err != nil {
			httpapi.Error(w, r, err)
			return
		}
		switch name {
		case "purpose":
			purpose, err := parsePurpose(val)
			if err == nil && in.Purpose != "" && purpose != in.Purpose {
				err = errs.Field("purpose", "purpose is %q in the query but %q in the form", in.Purpose, purpose)
			}
			if err != nil {
				httpapi.Error(w, r, err)
				return
			}
			in.Purpose = purpose
		case "story_id":
			if in.StoryID != "" && val != in.StoryID {
				httpapi.Error(w, r, errs.Field("story_id", "story_id differs between the query and the form"))
				return
			}
			in.StoryID = val
		default:
			httpapi.Error(w, r, errs.Field(name, "unknown form field %q; send purpose and story_id, then the file", truncate(name, 40)))
			return
		}
	}
	if in.Purpose == "" {
		httpapi.Error(w, r, errs.Field("purpose", "purpose is required (cover, attachment or import), before the file part or in the query"))
		return
	}
	f, err := h.svc.Upload(r.Context(), p, in)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("Location", Path(f.ID))
	httpapi.JSON(w, http.StatusCreated, f.View())
}

func readField(part *multipart.Part) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, maxField+1))
	if err != nil {
		return "", bodyError(err)
	}
	if len(b) > maxField {
		return "", errs.Field(part.FormName(), "form field %q is longer than %d bytes", truncate(part.FormName(), 40), maxField)
	}
	return strings.TrimSpace(string(b)), nil
}

// lastPart reads the file part and, at its end, makes sure no part follows:
// one upload is one file.
type lastPart struct {
	part *multipart.Part
	mr   *multipart.Reader
}

func (l *lastPart) Read(p []byte) (int, error) {
	n, err := l.part.Read(p)
	if errors.Is(err, io.EOF) {
		switch _, next := l.mr.NextPart(); {
		case next == nil:
			return n, errs.Field("file", "send one file per upload, as the last part of the form")
		case !errors.Is(next, io.EOF):
			return n, next
		}
	}
	return n, err
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := ListFilter{Purpose: Purpose(q.Get("purpose")), StoryID: q.Get("story_id"), Cursor: q.Get("cursor")}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			httpapi.Error(w, r, errs.Field("limit", "limit must be an integer from 1 to 100"))
			return
		}
		f.Limit = n
	}
	page, err := h.svc.List(r.Context(), principal(r), f)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, page)
}

// download serves a file's bytes with ranges, validators and a safe
// Content-Disposition, or redirects to a presigned URL when those are on.
func (h *Handler) download(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var caller *auth.Principal
	if p, ok := auth.FromContext(r.Context()); ok {
		caller = &p
	}
	f, public, err := h.svc.Open(r.Context(), caller, id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	hdr := w.Header()
	hdr.Set("ETag", f.ETag)
	if public {
		hdr.Set("Cache-Control", "public, max-age=300")
	} else {
		hdr.Set("Cache-Control", "private, no-cache")
	}
	// Whatever a browser makes of the bytes, they run no script in our origin.
	hdr.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hdr.Set("X-Content-Type-Options", "nosniff")

	url, err := h.svc.PresignedURL(r.Context(), f)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	if url != "" {
		if etagListed(r.Header.Get("If-None-Match"), f.ETag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		// The URL expires; neither it nor the redirect may be kept.
		hdr.Set("Cache-Control", "no-store")
		http.Redirect(w, r, url, http.StatusFound)
		return
	}
	hdr.Set("Content-Type", servedType(f.MediaType))
	hdr.Set("Content-Disposition", ContentDisposition(f))
	c := h.svc.Content(r.Context(), f)
	defer c.Close()
	http.ServeContent(&envelopeErrors{ResponseWriter: w, size: f.Size}, r, "", f.CreatedAt, c)
	if c.err != nil && r.Context().Err() == nil {
		httpapi.Logger(r.Context()).Error("serve file", "file_id", f.ID, "err", c.err)
	}
}

// etagListed reports whether an If-None-Match header names etag (or is "*").
func etagListed(header, etag string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}

// envelopeErrors turns the plain-text errors of http.ServeContent (416 for a
// range beyond the file, 412 for a failed If-Match) into the JSON envelope.
type envelopeErrors struct {
	http.ResponseWriter
	size   int64
	failed bool
}

func (e *envelopeErrors) WriteHeader(code int) {
	if code < 400 {
		e.ResponseWriter.WriteHeader(code)
		return
	}
	e.failed = true
	h := e.Header()
	h.Del("Content-Disposition")
	switch code {
	case http.StatusRequestedRangeNotSatisfiable:
		httpapi.ErrorCode(e.ResponseWriter, code, "RANGE_NOT_SATISFIABLE",
			"the requested range is not satisfiable: the file is "+strconv.FormatInt(e.size, 10)+" bytes")
	case http.StatusPreconditionFailed:
		httpapi.ErrorCode(e.ResponseWriter, code, httpapi.CodePrecondition, "the file does not match If-Match or If-Unmodified-Since")
	default:
		httpapi.ErrorCode(e.ResponseWriter, code, httpapi.CodeInternal, "internal error")
	}
}

func (e *envelopeErrors) Write(p []byte) (int, error) {
	if e.failed {
		return len(p), nil // the envelope is written; drop the plain-text message
	}
	return e.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the server's writer.
func (e *envelopeErrors) Unwrap() http.ResponseWriter { return e.ResponseWriter }

func (h *Handler) delete(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	if err := h.svc.Delete(r.Context(), principal(r), id); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, map[string]bool{"deleted": true})
}

func (h *Handler) usage(w http.ResponseWriter, r *http.Request) {
	u, err := h.svc.Usage(r.Context(), principal(r).UserID)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, u)
}
