package flags

import (
	"errors"
	"testing"
)

func sampleFlag() *Flag {
	return &Flag{
		Key:          "new-checkout",
		Enabled:      true,
		Variations:   []string{"off", "on"},
		OffVariation: 0,
		Fallthrough:  0,
		Rules: []Rule{
			{Attribute: "country", Op: OpIn, Values: []string{"NZ", "AU"}, Variation: 1},
			{Attribute: "email", Op: OpPrefix, Values: []string{"qa+"}, Variation: 1},
		},
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name    string
		mutate  func(f *Flag)
		wantErr bool
	}{
		{"valid", func(*Flag) {}, false},
		{"empty key", func(f *Flag) { f.Key = "" }, true},
		{"slash in key", func(f *Flag) { f.Key = "a/b" }, true},
		{"no variations", func(f *Flag) { f.Variations = nil }, true},
		{"bad fallthrough", func(f *Flag) { f.Fallthrough = 7 }, true},
		{"unknown op", func(f *Flag) { f.Rules[0].Op = "regex" }, true},
		{"bad percent", func(f *Flag) { f.Rules = []Rule{{Op: OpPercent, Values: []string{"140"}}} }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := sampleFlag()
			tc.mutate(f)
			err := f.Validate()
			if (err != nil) != tc.wantErr {
				t.Fatalf("Validate() = %v, wantErr %v", err, tc.wantErr)
			}
			if err != nil && !errors.Is(err, ErrInvalidFlag) {
				t.Fatalf("error %v does not wrap ErrInvalidFlag", err)
			}
		})
	}
}

func TestEvaluatorRunsHooks(t *testing.T) {
	var before, after []string
	ev := NewEvaluator(Hooks{
		Before: func(key string, _ User) { before = append(before, key) },
		After: func(key string, _ User, v string, _ Reason) {
			after = append(after, key+"="+v)
		},
	}, NewTracer())
	if _, _, err := ev.Evaluate(sampleFlag(), User{Key: "u", Attrs: map[string]string{"country": "AU"}}); err != nil {
		t.Fatal(err)
	}
	if len(before) != 1 || len(after) != 1 || after[0] != "new-checkout=on" {
		t.Fatalf("hooks saw before=%v after=%v", before, after)
	}
}

func TestTracerSpan(t *testing.T) {
	tr := NewTracer()
	func() {
		defer tr.Start("unit")()
	}()
	if got := tr.Stats()["unit"].Count; got != 1 {
		t.Fatalf("span count = %d, want 1", got)
	}
}
