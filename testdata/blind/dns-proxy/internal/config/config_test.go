package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	cfg, err := Parse(strings.NewReader(`
# local resolver
upstreams = 10.0.0.53:53, 10.0.1.53:53
cache_size = 1000
upstream_timeout = 750ms
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Upstreams) != 2 || cfg.CacheSize != 1000 || cfg.UpstreamTimeout != 750*time.Millisecond {
		t.Fatalf("cfg = %+v", cfg)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dnsproxy.conf")
	want := Default()
	want.BlockLists = []string{"/etc/dnsproxy/ads.txt"}
	if err := want.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
	}
}

func TestValidateRejects(t *testing.T) {
	cfg := Default()
	cfg.Upstreams = nil
	cfg.UpstreamNet = "quic"
	if err := cfg.Validate(); err == nil {
		t.Fatal("Validate accepted a config without upstreams")
	}
}
