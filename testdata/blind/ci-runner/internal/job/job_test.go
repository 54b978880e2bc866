package job

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestDecodeValidates(t *testing.T) {
	_, err := Decode(strings.NewReader(`{"id":"j1","steps":[{"name":"build","command":[]}]}`))
	if err == nil {
		t.Fatal("expected validation error")
	}
	for _, want := range []string{"missing repo", "empty command"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestDurationJSON(t *testing.T) {
	var s Step
	if err := json.Unmarshal([]byte(`{"name":"t","command":["true"],"timeout":"90s"}`), &s); err != nil {
		t.Fatal(err)
	}
	if got := s.EffectiveTimeout(time.Minute); got != 90*time.Second {
		t.Fatalf("timeout = %s", got)
	}
}
