package loopvar

import (
	"fmt"
	"os"
	"sync"
)

func deferredClosureReadsIndex(n int) {
	for i := 0; i < n; i++ {
		defer func() { // want `reads i, but i is declared by the loop on line 10 and, under go1.21 \(before go1.22\), one i is shared`
			fmt.Println(i)
		}()
	}
}

func deferredClosureReadsRangeValue(names []string) {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer func() { // want `reads name, but name is declared by the loop on line 18`
			fmt.Println("closing", name)
			f.Close()
		}()
	}
}

func goroutineReadsRangeKey(m map[string]int) {
	var wg sync.WaitGroup
	for k := range m {
		wg.Add(1)
		go func() { // want `goroutine started on line 34 reads k, but k is declared by the loop on line 32.*data race`
			defer wg.Done()
			fmt.Println(k)
		}()
	}
	wg.Wait()
}

func outerLoopVariable(rows [][]int) {
	for r, row := range rows {
		for _, v := range row {
			defer func() { // want `reads r, but r is declared by the loop on line 43` `reads v, but v is declared by the loop on line 44`
				fmt.Println(r, v)
			}()
		}
	}
}

func headerAssignsOutsideVar(n int) {
	var i int
	for i = 0; i < n; i++ {
		defer func() { // want `the loop on line 54 assigns i, a variable declared outside it`
			fmt.Println(i)
		}()
	}
}

func closurePassedToDeferredCall(items []string, run func(func())) {
	for _, it := range items {
		defer run(func() { // want `function literal passed to the deferred call reads it`
			fmt.Println(it)
		})
	}
}

func writesLoopVariable(xs []int) {
	for _, x := range xs {
		go func() { // want `reads x`
			x++
		}()
	}
}

func selectorOnLoopVar(ps []*os.File) {
	for _, p := range ps {
		defer func() { // want `reads p`
			_ = p.Close()
		}()
	}
}

func postStatementOnly(n int) {
	i := 0
	for ; i < n; i++ {
		go func() { // want `the loop on line 87 assigns i, a variable declared outside it`
			fmt.Println(i)
		}()
	}
}

// Runs at most once, but the body changes the variable after the defer.
func onceButChanged(n int) {
	for i := 0; i < n; i++ {
		defer func() { println(i) }() // want `reads i, but i is declared by the loop on line 96`
		i += 10
		return
	}
}

// The go statement may run again: only some paths leave the loop after it.
func startSome(servers []func() error, stop func(int) bool) {
	for i, serve := range servers {
		go func() { _ = serve() }() // want `the goroutine started on line \d+ reads serve`
		if stop(i) {
			return
		}
	}
}
