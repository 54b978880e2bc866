package logstream

import (
	"bytes"
	"io"
	"regexp"
)

// Rule rewrites one log line. Rules come from job configuration (regular
// expressions) and from plugins.
type Rule func(line []byte) []byte

// RegexpRule replaces every match of expr with repl.
func RegexpRule(expr, repl string) (Rule, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	return func(line []byte) []byte {
		return re.ReplaceAll(line, []byte(repl))
	}, nil
}

// SecretRule masks each of the given secret values.
func SecretRule(secrets []string) Rule {
	vals := make([][]byte, 0, len(secrets))
	for _, s := range secrets {
		if len(s) >= 4 {
			vals = append(vals, []byte(s))
		}
	}
	return func(line []byte) []byte {
		for _, v := range vals {
			line = bytes.ReplaceAll(line, v, []byte("***"))
		}
		return line
	}
}

// Redactor applies rules to complete lines before passing them on.
type Redactor struct {
	rules   []Rule
	next    io.Writer
	partial []byte
}

// NewRedactor returns a writer that redacts lines and forwards them to next.
func NewRedactor(next io.Writer, rules ...Rule) *Redactor {
	return &Redactor{rules: rules, next: next}
}

// apply runs all rules on line. A misbehaving plugin rule must not take the
// runner down.
func (r *Redactor) apply(line []byte) (out []byte) {
	out = line
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	for _, rule := range r.rules {
		out = rule(out)
	}
	return out
}

// Write redacts every complete line in p; a trailing partial line is kept
// until the next Write or Flush.
func (r *Redactor) Write(p []byte) (int, error) {
	r.partial = append(r.partial, p...)
	for {
		i := bytes.IndexByte(r.partial, '\n')
		if i < 0 {
			break
		}
		if _, err := r.next.Write(r.apply(r.partial[:i+1])); err != nil {
			return 0, err
		}
		r.partial = r.partial[i+1:]
	}
	return len(p), nil
}

// Flush forwards a trailing partial line.
func (r *Redactor) Flush() error {
	if len(r.partial) == 0 {
		return nil
	}
	_, err := r.next.Write(r.apply(r.partial))
	r.partial = r.partial[:0]
	return err
}
