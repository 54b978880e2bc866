module example.com/cloudstoragesdk

go 1.22
