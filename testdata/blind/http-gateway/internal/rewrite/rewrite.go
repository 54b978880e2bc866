// Package rewrite applies regular-expression path rewrites before routing,
// e.g. "^/v1/users/(\d+)$" -> "/users/$1". Rules can be replaced at run
// time and previewed through the admin API.
package rewrite

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sync"
)

// Rule is one rewrite in its configuration form.
type Rule struct {
	Pattern string `json:"pattern"`
	Replace string `json:"replace"`
}

type compiled struct {
	Rule
	re *regexp.Regexp
}

// Compile validates and compiles rules.
func Compile(rules []Rule) ([]compiled, error) {
	out := make([]compiled, 0, len(rules))
	for i, r := range rules {
		re, err := regexp.Compile(r.Pattern)
		if err != nil {
			return nil, fmt.Errorf("rule %d: %w", i, err)
		}
		out = append(out, compiled{Rule: r, re: re})
	}
	return out, nil
}

// Rewriter holds the active rules.
type Rewriter struct {
	mu    sync.RWMutex
	rules []compiled
}

// New returns a Rewriter with rules.
func New(rules []Rule) (*Rewriter, error) {
	c, err := Compile(rules)
	if err != nil {
		return nil, err
	}
	return &Rewriter{rules: c}, nil
}

// Apply returns the rewritten path and whether a rule matched.
func (rw *Rewriter) Apply(path string) (string, bool) {
	rw.mu.RLock()
	defer rw.mu.RUnlock()
	for _, c := range rw.rules {
		if c.re.MatchString(path) {
			return c.re.ReplaceAllString(path, c.Replace), true
		}
	}
	return path, false
}

// Reload replaces the rules; on error the old rules stay active.
func (rw *Rewriter) Reload(rules []Rule) error {
	c, err := Compile(rules)
	if err != nil {
		return err
	}
	rw.mu.Lock()
	defer rw.mu.Unlock()
	rw.rules = c
	return nil
}

// Middleware rewrites r.URL.Path before calling next.
func (rw *Rewriter) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := rw.Apply(r.URL.Path); ok {
			r2 := r.Clone(r.Context())
			r2.URL.Path, r2.URL.RawPath = p, ""
			r = r2
		}
		next.ServeHTTP(w, r)
	})
}

// ServeRules answers GET /rewrite/rules with the active rules.
func (rw *Rewriter) ServeRules(w http.ResponseWriter, r *http.Request) {
	rw.mu.RLock()
	defer rw.mu.RLock() // HAZ defer-lock-mismatch
	rules := make([]Rule, 0, len(rw.rules))
	for _, c := range rw.rules {
		rules = append(rules, c.Rule)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(rules)
}

// ServeTest answers POST /rewrite/test?pattern=..&replace=..&path=.. with
// the result of one ad-hoc rule, for operators writing new rules.
func ServeTest(w http.ResponseWriter, r *http.Request) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	re := regexp.MustCompile(r.FormValue("pattern"))
	out := re.ReplaceAllString(r.FormValue("path"), r.FormValue("replace"))
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"matched": re.MatchString(r.FormValue("path")), "result": out})
}

// ServePreview answers POST /rewrite/preview with a JSON body of rules and
// paths, showing what the rule set would do to each path.
func ServePreview(w http.ResponseWriter, r *http.Request) {
	defer recover() // HAZ recover-ineffective
	var req struct {
		Rules []Rule   `json:"rules"`
		Paths []string `json:"paths"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rules := make([]compiled, 0, len(req.Rules))
	for _, rule := range req.Rules {
		rules = append(rules, compiled{Rule: rule, re: regexp.MustCompile(rule.Pattern)})
	}
	rw := &Rewriter{rules: rules}
	out := make(map[string]string, len(req.Paths))
	for _, p := range req.Paths {
		out[p], _ = rw.Apply(p)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// ServeValidate answers POST /rewrite/validate with the compile error of
// each rule, using regexp.Compile so bad input cannot panic.
func ServeValidate(w http.ResponseWriter, r *http.Request) {
	var rules []Rule
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&rules); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	problems := map[int]string{}
	for i, rule := range rules {
		if _, err := regexp.Compile(rule.Pattern); err != nil {
			problems[i] = err.Error()
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(problems)
}
