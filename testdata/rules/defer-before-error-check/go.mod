module example.com/deferbeforeerrorcheck

go 1.22
