package swallow

import (
	"errors"
	"fmt"
)

type exprParser struct {
	src       string
	pos       int
	errs      []error
	panicking bool // set when the parser bails out after too many errors
	done      bool
}

func (p *exprParser) errorf(format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf(format, args...))
	if len(p.errs) > 10 {
		p.panicking = true
		panic("too many errors")
	}
}

func (p *exprParser) next() byte {
	if p.pos >= len(p.src) {
		p.errorf("unexpected end of input at %d", p.pos)
		return 0
	}
	c := p.src[p.pos]
	p.pos++
	return c
}

// The parser's own bail-out: recovered only when the flag says the parser raised it, and its
// errors are kept in p.errs.
func parseExpr(src string) (n int, err error) {
	p := &exprParser{src: src}
	defer func() {
		if p.panicking {
			_ = recover()
		}
		err = errors.Join(p.errs...)
	}()
	for p.pos < len(p.src) {
		if c := p.next(); c == '(' {
			n++
		}
	}
	return n, nil
}

// A flag that is never set before a panic guards nothing of the kind.
func parseAll(srcs []string) (n int) {
	p := &exprParser{}
	defer func() {
		if p.done {
			_ = recover() // want `discards the value of recover\(\)`
		}
	}()
	for _, s := range srcs {
		p.src, p.pos = s, 0
		for p.pos < len(p.src) {
			p.next()
			n++
		}
	}
	p.done = true
	return n
}

type quietGuard struct{ onPanic func() }

// The hook deferred through a field of a local guard drops the panic.
func quiet(job func()) {
	g := quietGuard{
		onPanic: func() {
			if r := recover(); r != nil { // want `tests the value of recover\(\) and then does nothing with it`
			}
		},
	}
	defer g.onPanic()
	job()
}
