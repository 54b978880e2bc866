package registry

import (
	"testing"
)

type memPersister map[string]any

func (m memPersister) Save(id string, v any) error {
	m[id] = v
	return nil
}

func TestAddGetRemove(t *testing.T) {
	r := New()
	c := NewContainer("web", "/bundles/web", nil)
	if err := r.Add(c); err != nil {
		t.Fatal(err)
	}
	if err := r.Add(NewContainer("web", "/other", nil)); err == nil {
		t.Fatal("duplicate id accepted")
	}
	if got, ok := r.Get("web"); !ok || got != c {
		t.Fatalf("Get = %v, %v", got, ok)
	}
	if _, err := r.Remove("web"); err != nil {
		t.Fatal(err)
	}
	if r.Len() != 0 {
		t.Fatalf("Len = %d after remove", r.Len())
	}
}

func TestPidIndex(t *testing.T) {
	r := New()
	c := NewContainer("db", "/bundles/db", map[string]string{"tier": "data"})
	if err := r.Add(c); err != nil {
		t.Fatal(err)
	}
	if err := r.SetPid("db", 4242); err != nil {
		t.Fatal(err)
	}
	if got, ok := r.ByPid(4242); !ok || got != c {
		t.Fatalf("ByPid = %v, %v", got, ok)
	}
	if got := r.ClearPid(4242); got != c {
		t.Fatalf("ClearPid = %v", got)
	}
	if r.ClearPid(4242) != nil {
		t.Fatal("pid still indexed")
	}
}

func TestLifecycle(t *testing.T) {
	c := NewContainer("job", "/bundles/job", nil)
	if err := c.Transition(Running); err == nil {
		t.Fatal("creating -> running accepted")
	}
	for _, to := range []Status{Created, Running, Paused, Running} {
		if err := c.Transition(to); err != nil {
			t.Fatal(err)
		}
	}
	p := memPersister{}
	if err := c.MarkExited(137, p); err != nil {
		t.Fatal(err)
	}
	st, ok := p["job"].(State)
	if !ok || st.Status != Stopped || st.ExitCode != 137 {
		t.Fatalf("persisted %#v", p["job"])
	}
}

func TestMergeFromSkipsKnown(t *testing.T) {
	live, disk := New(), New()
	if err := live.Add(NewContainer("a", "/live/a", nil)); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b", "c"} {
		if err := disk.Add(NewContainer(id, "/disk/"+id, nil)); err != nil {
			t.Fatal(err)
		}
	}
	if n := live.MergeFrom(disk); n != 2 {
		t.Fatalf("merged %d, want 2", n)
	}
	if c, _ := live.Get("a"); c.Bundle != "/live/a" {
		t.Fatalf("known container replaced: %s", c.Bundle)
	}
	if live.MergeFrom(live) != 0 {
		t.Fatal("self merge added containers")
	}
}
