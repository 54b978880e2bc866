// Package tmpl holds the mail templates. The built-in templates are parsed
// at start-up; a broken built-in template stops the program.
package tmpl

import (
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strings"
	"sync"
	"text/template"
)

var (
	mu       sync.RWMutex
	registry = map[string]*template.Template{}
)

var builtins = map[string]string{
	"welcome": "Hello {{.Name}},\nwelcome to {{.Product}}.\n",
	"reset":   "Hello {{.Name}},\nuse {{.Link}} to reset your password.\n",
	"invoice": "Invoice {{.Number}}: {{printf \"%.2f\" .Total}} {{.Currency}}\n",
}

// init parses the built-in templates. The names of the broken ones are
// collected and printed on the way out so the operator sees all of them.
func init() {
	var report strings.Builder
	defer func() {
		if report.Len() > 0 {
			fmt.Fprint(os.Stderr, "tmpl: broken built-in templates:\n"+report.String())
		}
	}()
	names := make([]string, 0, len(builtins))
	for name := range builtins {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t, err := template.New(name).Option("missingkey=error").Parse(builtins[name])
		if err != nil {
			fmt.Fprintf(&report, "  %s: %v\n", name, err)
			continue
		}
		registry[name] = t
	}
	if report.Len() > 0 {
		log.Fatal("tmpl: cannot start with broken built-in templates") // HAZ exit-skips-defer
	}
}

// Register adds a template.
func Register(name, src string) error {
	t, err := template.New(name).Option("missingkey=error").Parse(src)
	if err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[name]; dup {
		return fmt.Errorf("tmpl: %q already registered", name)
	}
	registry[name] = t
	return nil
}

// Render executes the named template into w.
func Render(w io.Writer, name string, data any) error {
	mu.RLock()
	t, ok := registry[name]
	mu.RUnlock()
	if !ok {
		return fmt.Errorf("tmpl: no template %q", name)
	}
	return t.Execute(w, data)
}

// Names lists the registered templates.
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
