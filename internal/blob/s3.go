package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config says which bucket of which S3-compatible server to use.
type S3Config struct {
	// Endpoint is host:port, or a URL whose scheme (http or https) sets UseSSL.
	Endpoint  string
	AccessKey string
	SecretKey string
	Bucket    string
	UseSSL    bool
	// Region defaults to us-east-1.
	Region string
	// PartSize is the size of each part of a multipart upload (default and
	// minimum 5 MiB). An upload of unknown size holds one part in memory at a time,
	// so this bounds the memory each concurrent upload costs.
	PartSize uint64
	// Provider is recorded with each file: "minio" or "s3" (default: "s3" for
	// amazonaws.com endpoints, else "minio").
	Provider string
	// Transport overrides the HTTP transport (tests).
	Transport http.RoundTripper
}

// MinPartSize is the smallest multipart part S3 accepts, and the default PartSize.
const MinPartSize = 5 << 20

// S3 keeps objects in a bucket of an S3-compatible server.
type S3 struct {
	client   *minio.Client
	core     minio.Core
	bucket   string
	partSize uint64
	provider string
}

var _ Store = (*S3)(nil)

// NewS3 connects to the server, checks the credentials and creates the bucket if
// it does not exist yet.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	endpoint, secure := cfg.Endpoint, cfg.UseSSL
	if strings.Contains(endpoint, "://") {
		u, err := url.Parse(endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" {
			return nil, fmt.Errorf("blob: S3 endpoint %q must be host:port or an http(s)://host:port URL", cfg.Endpoint)
		}
		endpoint, secure = u.Host, u.Scheme == "https"
	}
	if endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("blob: S3 needs an endpoint and a bucket")
	}
	region := cfg.Region
	if region == "" {
		region = "us-east-1"
	}
	client, err := minio.New(endpoint, &minio.Options{
		Creds:     credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:    secure,
		Region:    region,
		Transport: cfg.Transport,
	})
	if err != nil {
		return nil, fmt.Errorf("blob: S3 client for %s: %w", endpoint, err)
	}
	s := &S3{client: client, core: minio.Core{Client: client}, bucket: cfg.Bucket, partSize: max(cfg.PartSize, MinPartSize), provider: cfg.Provider}
	if s.provider == "" {
		s.provider = "minio"
		if strings.HasSuffix(strings.Split(endpoint, ":")[0], "amazonaws.com") {
			s.provider = "s3"
		}
	}
	exists, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("blob: S3 bucket %s at %s: %w", cfg.Bucket, endpoint, err)
	}
	if !exists {
		err := client.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{Region: region})
		if err != nil && minio.ToErrorResponse(err).Code != "BucketAlreadyOwnedByYou" {
			return nil, fmt.Errorf("blob: create S3 bucket %s at %s: %w", cfg.Bucket, endpoint, err)
		}
	}
	return s, nil
}

// Provider implements Store.
func (s *S3) Provider() string { return s.provider }

// Put implements Store. An object of unknown size is sent as a multipart upload
// with one PartSize buffer; a failed one is aborted, so no parts linger.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) (Info, error) {
	if err := ValidKey(key); err != nil {
		return Info{}, err
	}
	src := &sourceReader{r: r, left: size}
	ui, err := s.client.PutObject(ctx, s.bucket, key, src, size, minio.PutObjectOptions{
		ContentType: opts.ContentType,
		PartSize:    s.partSize,
	})
	if err != nil {
		if src.err != nil {
			err = src.err // the reader's own error, not the client's wrapping of it
		}
		return Info{}, fmt.Errorf("blob: put %s: %w", key, s.mapErr(key, err))
	}
	if size >= 0 {
		if err := src.checkEnd(); err != nil {
			// The reader held more than declared: what was stored is not what the
			// caller meant, so it must not stay.
			s.Delete(context.WithoutCancel(ctx), key) //nolint:errcheck // reported through err
			return Info{}, fmt.Errorf("blob: put %s: %w", key, err)
		}
	}
	return Info{Key: key, Size: ui.Size, ETag: ui.ETag, ModTime: ui.LastModified.UTC(), ContentType: opts.ContentType}, nil
}

// Get implements Store. A ranged read first stats the object, so that the range
// is checked against its size, and then reads it only if it is still the same
// object (by ETag).
func (s *S3) Get(ctx context.Context, key string, rng *Range) (io.ReadCloser, Info, error) {
	if err := ValidKey(key); err != nil {
		return nil, Info{}, err
	}
	opts := minio.GetObjectOptions{}
	var whole *Info
	if rng != nil {
		info, err := s.Stat(ctx, key)
		if err != nil {
			return nil, Info{}, err
		}
		off, n, err := rng.resolve(info.Size)
		if err != nil {
			return nil, Info{}, err
		}
		if n == 0 {
			return io.NopCloser(strings.NewReader("")), info, nil
		}
		if err := opts.SetRange(off, off+n-1); err != nil {
			return nil, Info{}, err
		}
		if err := opts.SetMatchETag(info.ETag); err != nil {
			return nil, Info{}, err
		}
		whole = &info
	}
	body, oi, _, err := s.core.GetObject(ctx, s.bucket, key, opts)
	if err != nil {
		return nil, Info{}, fmt.Errorf("blob: get %s: %w", key, s.mapErr(key, err))
	}
	if whole != nil {
		return body, *whole, nil // oi.Size is the length of the range
	}
	return body, s3Info(oi), nil
}

// Stat implements Store.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	if err := ValidKey(key); err != nil {
		return Info{}, err
	}
	oi, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, fmt.Errorf("blob: stat %s: %w", key, s.mapErr(key, err))
	}
	return s3Info(oi), nil
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := ValidKey(key); err != nil {
		return err
	}
	err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	if err != nil && !errors.Is(s.mapErr(key, err), ErrNotFound) {
		return fmt.Errorf("blob: delete %s: %w", key, err)
	}
	return nil
}

// List implements Store.
func (s *S3) List(ctx context.Context, prefix string) iter.Seq2[Info, error] {
	if err := validPrefix(prefix); err != nil {
		return errSeq(err)
	}
	return func(yield func(Info, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		for oi := range s.client.ListObjectsIter(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
			if oi.Err != nil {
				yield(Info{}, fmt.Errorf("blob: list %q: %w", prefix, oi.Err))
				return
			}
			if !yield(s3Info(oi), nil) {
				return
			}
		}
	}
}

// PresignGet implements Store.
func (s *S3) PresignGet(ctx context.Context, key string, ttl time.Duration, opts PresignOptions) (string, error) {
	if err := ValidKey(key); err != nil {
		return "", err
	}
	params := url.Values{}
	if opts.ContentType != "" {
		params.Set("response-content-type", opts.ContentType)
	}
	if opts.ContentDisposition != "" {
		params.Set("response-content-disposition", opts.ContentDisposition)
	}
	u, err := s.client.PresignedGetObject(ctx, s.bucket, key, ttl, params)
	if err != nil {
		return "", fmt.Errorf("blob: presign %s: %w", key, err)
	}
	return u.String(), nil
}

func (s *S3) mapErr(key string, err error) error {
	switch minio.ToErrorResponse(err).Code {
	case "NoSuchKey", "NotFound":
		return fmt.Errorf("%s: %w", key, ErrNotFound)
	case "InvalidRange":
		return fmt.Errorf("%s: %w", key, ErrInvalidRange)
	case "PreconditionFailed":
		// The object was replaced between Stat and Get.
		return fmt.Errorf("%s changed while being read: %w", key, ErrNotFound)
	}
	return err
}

func s3Info(oi minio.ObjectInfo) Info {
	return Info{Key: oi.Key, Size: oi.Size, ETag: strings.Trim(oi.ETag, `"`), ModTime: oi.LastModified.UTC(), ContentType: oi.ContentType}
}

// sourceReader passes on the reader given to Put, remembering the first error it
// returned and, when left is not negative, holding it to exactly left bytes.
type sourceReader struct {
	r    io.Reader
	left int64 // -1: unknown size
	err  error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	if s.left == 0 {
		return 0, io.EOF
	}
	if s.left > 0 && int64(len(p)) > s.left {
		p = p[:s.left]
	}
	n, err := s.r.Read(p)
	if s.left > 0 {
		s.left -= int64(n)
		if errors.Is(err, io.EOF) && s.left > 0 {
			err = fmt.Errorf("%d bytes short: %w", s.left, ErrSizeMismatch)
		}
	}
	if err != nil && !errors.Is(err, io.EOF) && s.err == nil {
		s.err = err
	}
	return n, err
}

// checkEnd reports ErrSizeMismatch when the reader holds more than the declared bytes.
func (s *sourceReader) checkEnd() error {
	var b [1]byte
	if n, _ := io.ReadFull(s.r, b[:]); n > 0 {
		return fmt.Errorf("more bytes than declared: %w", ErrSizeMismatch)
	}
	return nil
}
