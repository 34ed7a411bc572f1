package config

import (
	"os"
	"strings"
	"testing"
	"time"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestDefaults(t *testing.T) {
	c, err := Load(env(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Production() || !c.AllRoles() || c.Host != "0.0.0.0" || c.Port != 0 || c.LogFormat != "text" {
		t.Fatalf("defaults = %+v", c)
	}
	if c.AccessTTL != 15*time.Minute || c.RefreshTTL != 720*time.Hour || c.MaxBody != 1<<20 {
		t.Fatalf("lifetimes = %s %s %d", c.AccessTTL, c.RefreshTTL, c.MaxBody)
	}
	if len(c.Roles) != len(Roles) {
		t.Fatalf("roles = %v, want all", c.Roles)
	}
}

func TestProductionNeedsSecret(t *testing.T) {
	_, err := Load(env("DATABASE_URL", "postgres://u:p@db:5432/aw"), nil)
	if err == nil || !strings.Contains(err.Error(), "JWT_SECRET") || !strings.Contains(err.Error(), "required") {
		t.Fatalf("err = %v, want JWT_SECRET required", err)
	}
	c, err := Load(env("DATABASE_URL", "postgres://u:p@db:5432/aw", "JWT_SECRET", strings.Repeat("s", 32)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Production() || c.LogFormat != "json" {
		t.Fatalf("production = %v, log format %s", c.Production(), c.LogFormat)
	}
}

func TestInvalid(t *testing.T) {
	tests := []struct {
		name string
		env  func(string) string
		args []string
		want string
	}{
		{"short secret", env("JWT_SECRET", "tooshort"), nil, "at least 32 bytes"},
		{"bad database url", env("DATABASE_URL", "mysql://x"), nil, "DATABASE_URL"},
		{"bad redis url", env("REDIS_URL", "localhost:6379"), nil, "REDIS_URL"},
		{"bad port", env("SERVICE_PORT", "http"), nil, "SERVICE_PORT"},
		{"port out of range", nil, []string{"--port", "70000"}, "SERVICE_PORT"},
		{"bad duration", env("ACCESS_TOKEN_TTL", "forever"), nil, "ACCESS_TOKEN_TTL"},
		{"bad level", env("LOG_LEVEL", "loud"), nil, "LOG_LEVEL"},
		{"bad format", env("LOG_FORMAT", "xml"), nil, "LOG_FORMAT"},
		{"unknown role", nil, []string{"--roles", "user,teleport"}, `unknown role "teleport"`},
		{"bad cidr", env("TRUSTED_PROXY_CIDRS", "10.0.0.0/99"), nil, "TRUSTED_PROXY_CIDRS"},
		{"sso without proxies", env("AUTH_PROXY_ENABLED", "true"), nil, "TRUSTED_PROXY_CIDRS"},
		{"stray argument", nil, []string{"extra"}, "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.env
			if e == nil {
				e = env()
			}
			_, err := Load(e, tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestAllErrorsReportedAtOnce(t *testing.T) {
	_, err := Load(env("LOG_LEVEL", "loud", "SERVICE_PORT", "x"), nil)
	if err == nil || !strings.Contains(err.Error(), "LOG_LEVEL") || !strings.Contains(err.Error(), "SERVICE_PORT") {
		t.Fatalf("err = %v, want both problems", err)
	}
}

func TestRolesAndFlags(t *testing.T) {
	c, err := Load(env("AUTHORWORKS_ROLES", "user", "HOST", "127.0.0.1"), []string{"--port", "9000", "--log-level", "debug"})
	if err != nil {
		t.Fatal(err)
	}
	if c.AllRoles() || len(c.Roles) != 1 || c.Roles[0] != "user" || c.Port != 9000 || c.Host != "127.0.0.1" {
		t.Fatalf("config = %+v", c)
	}
	if RolePort("user") != 3001 {
		t.Fatalf("user port = %d, want 3001", RolePort("user"))
	}
	c, err = Load(env("TRUSTED_PROXY_CIDRS", "10.0.1.0/24, 127.0.0.1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 2 || c.TrustedProxies[1].String() != "127.0.0.1/32" {
		t.Fatalf("proxies = %v", c.TrustedProxies)
	}
}

// TestReadmeListsEveryVariable keeps the README's configuration table true.
func TestReadmeListsEveryVariable(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Vars {
		row := "| `" + v.Name + "` | " + v.Default + " | " + v.Help + " |"
		if !strings.Contains(string(b), row) {
			t.Errorf("README.md lacks the row:\n%s", row)
		}
	}
}
