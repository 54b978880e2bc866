package loopvar

import "fmt"

func headerAssignsOutsideVar(n int) {
	var i int
	for i = 0; i < n; i++ {
		defer func() { // want `the loop on line 7 assigns i, a variable declared outside it, so one i is shared by all iterations`
			fmt.Println(i)
		}()
	}
}

func rangeAssignsOutsideVars(m map[string]int) {
	var k string
	var v int
	for k, v = range m {
		go func() { // want `goroutine .* reads k, but the loop on line 17 assigns k` `reads v, but the loop on line 17 assigns v`
			fmt.Println(k, v)
		}()
	}
}

func postOnly(n int) {
	i := 0
	for ; i < n; i++ {
		defer func() { // want `assigns i`
			fmt.Println(i)
		}()
	}
}
