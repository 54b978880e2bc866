// Package p calls functions, methods, builtins and func values in the ways the naming covers.
package p

import (
	"container/list"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"example.com/calls/q"
)

type inner struct{ sync.Mutex }

type outer struct {
	inner
	handler func()
}

type named interface{ Name() string }

type point struct{ x int }

func (p point) Name() string { return fmt.Sprint(p.x) } // calls: fmt.Sprint

func constrained[T interface {
	~int
	String() string
}](x T) string {
	return x.String() // calls: (interface).String
}

func stringer[T fmt.Stringer](x T) string {
	return x.String() // calls: (fmt.Stringer).String
}

// Calls exercises every kind of callee.
func Calls(rc io.ReadCloser, f func(int), hs []func(), lit interface{ Close() error }) {
	var b [4]byte
	rc.Read(b[:])                             // calls: (io.Reader).Read
	rc.Close()                                // calls: (io.Closer).Close
	lit.Close()                               // calls: (interface).Close
	_ = cap(b)                                // calls: builtin cap
	_ = unsafe.Sizeof(b)                      // calls: builtin unsafe.Sizeof
	l := list.New()                           // calls: container/list.New
	l.PushBack(1)                             // calls: (*container/list.List).PushBack
	var s q.Stack[int]                        //
	s.Push(1)                                 // calls: (*example.com/calls/q.Stack).Push
	(&s).Push(2)                              // calls: (*example.com/calls/q.Stack).Push
	_ = s.Len()                               // calls: (example.com/calls/q.Stack).Len
	(*q.Stack[int]).Push(&s, 3)               // calls: (*example.com/calls/q.Stack).Push
	var o outer                               //
	o.Lock()                                  // calls: (*sync.Mutex).Lock
	o.handler()                               // calls: var handler
	f(1)                                      // calls: var f
	hs[0]()                                   // index of a variable: not nameable
	q.Hook("x")                               // calls: var Hook
	_ = q.Map[int, string]([]int{1}, strconv) // calls: example.com/calls/q.Map
	_ = q.Map([]int{1}, strconv)              // calls: example.com/calls/q.Map
	_ = int64(3)                              // conversion: not a call here
	_ = []byte("x")                           // conversion
	func() {}()                               // func literal: not nameable
	getF()()                                  // calls: example.com/calls/p.getF
	(os.Exit)(0)                              // calls: os.Exit
	var e error                               //
	_ = e.Error()                             // calls: (error).Error
	var n named = point{1}                    //
	_ = n.Name()                              // calls: (example.com/calls/p.named).Name
	_ = point{2}.Name()                       // calls: (example.com/calls/p.point).Name
	defer close(make(chan int))               // calls: builtin close | builtin make
	_ = must(os.Open("x")).Close()            // calls: example.com/calls/p.must | os.Open | (*os.File).Close
	_ = slices.Max([]myInt{1, 2}).String()    // calls: slices.Max | (example.com/calls/p.myInt).String
	_ = first([]myInt{3}).String()            // calls: example.com/calls/p.first | (example.com/calls/p.myInt).String
	_ = strings.NewReader("x").Len()          // calls: strings.NewReader | (*strings.Reader).Len
	_ = constrained[myInt]                    //
	_ = stringer(myInt(1))                    // calls: example.com/calls/p.stringer
}

type myInt int

func (m myInt) String() string { return "" }

func strconv(i int) string { return "" }

func getF() func() { return func() {} }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err) // calls: builtin panic
	}
	return v
}

func first[S ~[]E, E any](s S) E { return s[0] }
