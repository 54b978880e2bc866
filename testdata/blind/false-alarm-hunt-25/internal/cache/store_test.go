package cache

import (
	"testing"

	"example.com/fah25/api"
)

func widget(ns, name string, labels map[string]string) *api.Widget {
	return &api.Widget{ObjectMeta: api.ObjectMeta{Namespace: ns, Name: name, Labels: labels}}
}

func TestStoreAddGetDelete(t *testing.T) {
	s := NewThreadSafeStore(Indexers{NamespaceIndex: MetaNamespaceIndexFunc})
	s.Add("a/one", widget("a", "one", nil))
	if _, ok := s.Get("a/one"); !ok {
		t.Fatal("a/one not found after Add")
	}
	if !s.Delete("a/one") {
		t.Fatal("Delete reported a missing key")
	}
	if s.Has("a/one") {
		t.Fatal("a/one still present after Delete")
	}
}

func TestByIndex(t *testing.T) {
	s := NewThreadSafeStore(Indexers{
		NamespaceIndex: MetaNamespaceIndexFunc,
		"app":          LabelIndexFunc("app"),
	})
	s.Add("a/one", widget("a", "one", map[string]string{"app": "web"}))
	s.Add("a/two", widget("a", "two", map[string]string{"app": "db"}))
	s.Add("b/one", widget("b", "one", map[string]string{"app": "web"}))

	cases := []struct {
		name, index, value string
		want               int
	}{
		{"namespace a", NamespaceIndex, "a", 2},
		{"namespace b", NamespaceIndex, "b", 1},
		{"label web", "app", "web", 2},
		{"label none", "app", "cache", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := s.ByIndex(tc.index, tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.want {
				t.Errorf("ByIndex(%s, %s) = %d objects, want %d", tc.index, tc.value, len(got), tc.want)
			}
		})
	}
}

func TestResyncVisitsEveryObject(t *testing.T) {
	s := NewThreadSafeStore(nil)
	for _, k := range []string{"x", "y", "z"} {
		s.Add(k, widget("", k, nil))
	}
	seen := map[string]bool{}
	s.Resync(func(key string, _ api.Object) {
		seen[key] = true
		// Calling back into the store is allowed: Resync does not hold the lock here.
		if !s.Has(key) {
			t.Errorf("%s vanished during resync", key)
		}
	})
	if len(seen) != 3 {
		t.Fatalf("resync saw %d keys, want 3", len(seen))
	}
}
