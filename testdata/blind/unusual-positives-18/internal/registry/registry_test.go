package registry

import (
	"testing"
	"time"
)

func TestUpsertEvictsStalest(t *testing.T) {
	r := New(2)
	now := time.Now()
	r.Upsert(&Entry{Name: "a", Seen: now.Add(-time.Hour), Tags: []string{"eu"}})
	r.Upsert(&Entry{Name: "b", Seen: now, Tags: []string{"eu"}})
	r.Upsert(&Entry{Name: "c", Seen: now, Tags: []string{"us"}})
	if got := r.Len(); got != 2 {
		t.Fatalf("Len = %d, want 2", got)
	}
	if got := r.Tagged("eu"); len(got) != 1 || got[0] != "b" {
		t.Fatalf("Tagged(eu) = %v, want [b]", got)
	}
}

func TestCatalogSummary(t *testing.T) {
	owners := NewOwners()
	owners.Set("api", "core")
	c := NewCatalog(owners)
	cases := []struct {
		name, add, want string
	}{
		{"known", "api", "api (owner core): 1 versions, latest v1"},
		{"unowned", "db", "db (owner unowned): 1 versions, latest v1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c.Add(tc.add, "v1")
			if got := c.Summary(tc.add); got != tc.want {
				t.Fatalf("Summary = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestStatsTop(t *testing.T) {
	s := NewStats()
	for _, n := range []string{"a", "b", "b", "c", "c", "c"} {
		s.Inc(n)
	}
	top := s.Top(2)
	if len(top) != 2 || top[0] != "c" || top[1] != "b" {
		t.Fatalf("Top(2) = %v", top)
	}
}
