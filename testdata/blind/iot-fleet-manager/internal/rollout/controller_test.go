package rollout

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"example.com/fleet/internal/metrics"
)

type fakeUpdater struct{ fail map[string]bool }

func (f fakeUpdater) Update(_ context.Context, dev string, _ *Plan) error {
	if f.fail[dev] {
		return errors.New("flash write failed")
	}
	return nil
}

func testPlan() *Plan {
	return &Plan{
		Version:     "3.1.0",
		Image:       "fw-3.1.0.bin",
		MaxFailures: 1,
		Waves:       []Wave{{Name: "canary", Percent: 10}, {Name: "rest", Percent: 90}},
	}
}

func TestPlanValidate(t *testing.T) {
	if err := testPlan().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := testPlan()
	bad.Waves[1].Percent = 95
	if err := bad.Validate(); err == nil {
		t.Fatal("plan covering 105% accepted")
	}
}

func TestAssignSplitsByPercent(t *testing.T) {
	p := testPlan()
	devs := make([]string, 20)
	for i := range devs {
		devs[i] = string(rune('a' + i))
	}
	p.Assign(devs)
	if len(p.Waves[0].Devices) != 2 || len(p.Waves[1].Devices) != 18 {
		t.Fatalf("waves: %d, %d", len(p.Waves[0].Devices), len(p.Waves[1].Devices))
	}
}

func TestStateSaveLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	st := newState("3.1.0")
	st.Wave = 1
	st.Done["a"] = true
	st.Failed["b"] = "timeout"
	if err := st.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := LoadState(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Wave != 1 || !got.Done["a"] || got.Failed["b"] != "timeout" {
		t.Fatalf("loaded %+v", got)
	}
}

func TestRecordResultUpdatesStatus(t *testing.T) {
	c := NewController(testPlan(), fakeUpdater{}, "", 2, nil, metrics.NewRegistry())
	c.recordResult(0, "a", nil)
	c.recordResult(0, "b", errors.New("boom"))
	st := c.Status()
	if st.Updated != 1 || st.Failed != 1 {
		t.Fatalf("status %+v", st)
	}
	if len(c.History()) != 2 {
		t.Fatalf("history %v", c.History())
	}
}

func TestLoadPlanFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plan.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if err := json.NewEncoder(f).Encode(testPlan()); err != nil {
		t.Fatal(err)
	}
	p, err := LoadPlan(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != "3.1.0" || len(p.Waves) != 2 {
		t.Fatalf("loaded %+v", p)
	}
}
