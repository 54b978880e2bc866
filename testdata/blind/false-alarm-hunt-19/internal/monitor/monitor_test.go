package monitor

import (
	"context"
	"strings"
	"testing"
)

func TestRegisterRejectsDuplicates(t *testing.T) {
	reg := NewRegistry()
	var c Counter
	if err := reg.Register("requests_total", "Requests served.", &c); err != nil {
		t.Fatal(err)
	}
	if err := reg.Register("requests_total", "", &c); err == nil {
		t.Fatal("duplicate registration succeeded")
	}
	c.Inc()
	got := reg.Gather()
	if len(got) != 1 || got[0].Value != 1 {
		t.Fatalf("Gather = %v", got)
	}
}

func TestParseRules(t *testing.T) {
	rules, err := ParseRules("# disk\nlow_disk: disk_free_bytes < 1e9 for 5m\nhot: cpu > 0.9\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 2 || rules[0].Name != "low_disk" {
		t.Fatalf("rules = %+v", rules)
	}
	firing, err := rules[1].Expr(map[string]float64{"cpu": 0.95})
	if err != nil || !firing {
		t.Fatalf("hot rule = %v, %v", firing, err)
	}
}

func TestParseRulesReportsLine(t *testing.T) {
	_, err := ParseRules("ok: a > 1\nbroken a > 1\n")
	if err == nil || !strings.HasPrefix(err.Error(), "rules:2:") {
		t.Fatalf("err = %v, want a rules:2 error", err)
	}
}

type panickyHook struct{}

func (panickyHook) Name() string { return "panicky" }

func (panickyHook) Notify(context.Context, []Alert) error { panic("webhook template broken") }

func TestCheckHookTurnsPanicIntoError(t *testing.T) {
	ev := NewEvaluator(NewRegistry(), nil, nil, nil)
	err := ev.CheckHook(context.Background(), panickyHook{})
	if err == nil || !strings.Contains(err.Error(), "webhook template broken") {
		t.Fatalf("CheckHook = %v", err)
	}
}
