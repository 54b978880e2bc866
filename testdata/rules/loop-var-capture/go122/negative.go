package loopvar

import "fmt"

func perIterationIndex(n int) {
	for i := 0; i < n; i++ {
		defer func() {
			fmt.Println(i)
		}()
	}
}

func perIterationRange(names []string) {
	for _, name := range names {
		go func() {
			fmt.Println(name)
		}()
	}
}

func perIterationKeyValue(m map[string]int) {
	for k, v := range m {
		defer func() {
			fmt.Println(k, v)
		}()
	}
}

func passedAsArgument(n int) {
	var i int
	for i = 0; i < n; i++ {
		defer func(i int) {
			fmt.Println(i)
		}(i)
	}
}

func copied(n int) {
	var i int
	for i = 0; i < n; i++ {
		i := i
		defer func() {
			fmt.Println(i)
		}()
	}
}
