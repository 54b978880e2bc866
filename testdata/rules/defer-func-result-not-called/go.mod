module example.com/deferfuncresult

go 1.22
