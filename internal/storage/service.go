package storage

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"maps"
	"time"

	"github.com/authorworks/authorworks/internal/blob"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/sqldb"
)

// Tiers tells a user's subscription tier.
type Tiers interface {
	Tier(ctx context.Context, userID string) (string, error)
}

// Config holds the Service's dependencies and limits.
type Config struct {
	DB    *sqldb.DB
	Store blob.Store
	Tiers Tiers
	// Quotas is the storage allowance of each subscription tier in bytes; 0 means
	// unlimited. A tier missing from the map gets the "free" allowance. Default
	// DefaultQuotas.
	Quotas map[string]int64
	// MaxSize caps one file of a purpose; purposes missing here keep
	// DefaultMaxSize.
	MaxSize map[Purpose]int64
	// PresignTTL, when positive and the store can presign, makes downloads answer
	// with a redirect to a presigned URL valid that long instead of streaming the
	// bytes through this process. The URL names the store's endpoint, which
	// browsers must then be able to reach.
	PresignTTL time.Duration
	// PendingTTL is how long an upload may run before Purge treats it as
	// abandoned (default 6h).
	PendingTTL time.Duration
	// UploadTimeout is how long one upload may take to arrive; it replaces the
	// server's read timeout for POST /api/upload (default 15m).
	UploadTimeout time.Duration
	Now           func() time.Time
	Log           *slog.Logger
}

// Service implements the Storage service: files, their bytes in a blob.Store and
// their metadata in storage_metadata.
type Service struct {
	db            *sqldb.DB
	store         blob.Store
	tiers         Tiers
	quotas        map[string]int64
	maxSize       map[Purpose]int64
	presignTTL    time.Duration
	pendingTTL    time.Duration
	uploadTimeout time.Duration
	now           func() time.Time
	log           *slog.Logger
}

// NewService returns a Service.
func NewService(c Config) *Service {
	s := &Service{db: c.DB, store: c.Store, tiers: c.Tiers, quotas: c.Quotas, presignTTL: c.PresignTTL,
		pendingTTL: c.PendingTTL, uploadTimeout: c.UploadTimeout, now: c.Now, log: c.Log}
	if s.quotas == nil {
		s.quotas = DefaultQuotas
	}
	s.maxSize = maps.Clone(DefaultMaxSize)
	maps.Copy(s.maxSize, c.MaxSize)
	if s.pendingTTL <= 0 {
		s.pendingTTL = 6 * time.Hour
	}
	if s.uploadTimeout <= 0 {
		s.uploadTimeout = 15 * time.Minute
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

func (s *Service) nowUTC() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// MaxUploadSize is the largest file any upload purpose accepts.
func (s *Service) MaxUploadSize() int64 {
	var m int64
	for _, p := range Purposes {
		if p.uploadable() {
			m = max(m, s.maxSize[p])
		}
	}
	return m
}

// quota returns the user's tier and storage allowance (0: unlimited).
func (s *Service) quota(ctx context.Context, userID string) (string, int64, error) {
	if s.tiers == nil {
		return "free", s.quotas["free"], nil
	}
	tier, err := s.tiers.Tier(ctx, userID)
	if err != nil {
		return "", 0, fmt.Errorf("storage: tier of %s: %w", userID, err)
	}
	q, ok := s.quotas[tier]
	if !ok {
		q = s.quotas["free"]
	}
	return tier, q, nil
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// used returns the bytes the user's files count against the quota: ready files
// of counted purposes. Pending uploads are checked when they finish, and deleting
// files are already gone from the user's point of view.
func used(ctx context.Context, q querier, userID string) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(file_size), 0) FROM storage_metadata
		WHERE user_id = $1 AND status = 'ready' AND purpose <> 'export'`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("storage: usage of %s: %w", userID, err)
	}
	return n, nil
}

// Usage is a user's storage: what counts against the quota, and what each
// purpose holds.
type Usage struct {
	Tier string `json:"tier"`
	// UsedBytes is what counts against the quota (exports do not).
	UsedBytes int64 `json:"used_bytes"`
	// QuotaBytes is the tier's allowance; null when unlimited.
	QuotaBytes *int64 `json:"quota_bytes"`
	// AvailableBytes is what may still be uploaded; null when unlimited.
	AvailableBytes *int64 `json:"available_bytes"`
	// Files counts the files that count against the quota.
	Files     int                      `json:"files"`
	ByPurpose map[Purpose]PurposeUsage `json:"by_purpose"`
}

// PurposeUsage is what the files of one purpose hold.
type PurposeUsage struct {
	Files   int   `json:"files"`
	Bytes   int64 `json:"bytes"`
	Counted bool  `json:"counted"` // whether these bytes count against the quota
}

// Usage reports the user's storage use.
func (s *Service) Usage(ctx context.Context, userID string) (*Usage, error) {
	tier, quota, err := s.quota(ctx, userID)
	if err != nil {
		return nil, err
	}
	u := &Usage{Tier: tier, ByPurpose: map[Purpose]PurposeUsage{}}
	for _, p := range Purposes {
		u.ByPurpose[p] = PurposeUsage{Counted: p.counted()}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT purpose, COUNT(*), COALESCE(SUM(file_size), 0) FROM storage_metadata
		WHERE user_id = $1 AND status = 'ready' GROUP BY purpose`, userID)
	if err != nil {
		return nil, fmt.Errorf("storage: usage of %s: %w", userID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			p  Purpose
			pu PurposeUsage
		)
		if err := rows.Scan(&p, &pu.Files, &pu.Bytes); err != nil {
			return nil, fmt.Errorf("storage: usage of %s: %w", userID, err)
		}
		pu.Counted = p.counted()
		u.ByPurpose[p] = pu
		if pu.Counted {
			u.UsedBytes += pu.Bytes
			u.Files += pu.Files
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: usage of %s: %w", userID, err)
	}
	if quota > 0 {
		avail := max(quota-u.UsedBytes, 0)
		u.QuotaBytes, u.AvailableBytes = &quota, &avail
	}
	return u, nil
}

// quotaError is the 413 for an upload that would take the user past the quota.
func quotaError(tier string, quota, used, size int64, exact bool) error {
	what := "this upload"
	if size > 0 {
		what = fmt.Sprintf("this upload (%s)", mib(size))
		if !exact {
			what = fmt.Sprintf("this upload (at least %s)", mib(size))
		}
	}
	return (&errs.Error{Kind: errs.TooLarge, Message: fmt.Sprintf(
		"%s would exceed your storage quota: %s of %s used on the %s plan; delete files or upgrade your plan",
		what, mib(used), mib(quota), tier)}).WithCode("QUOTA_EXCEEDED")
}

// tooLargeError is the 413 for a file over its purpose's size limit.
func tooLargeError(p Purpose, limit int64) error {
	if p == "" {
		return errs.E(errs.TooLarge, "uploads may be at most %s", mib(limit))
	}
	return errs.E(errs.TooLarge, "%s files may be at most %s", p, mib(limit))
}
