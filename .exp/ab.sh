#!/bin/bash
# usage: ab.sh N dir1 dir2 ... ; alternates, prints median ms / cpu per dir
N=$1; shift
export AWS_REGION=ap-south-1 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=y POWERTOOLS_SERVICE_NAME=bench CATALOG_TABLE_NAME=t INVENTORY_TABLE_NAME=t CUSTOMER_LOCATIONS_TABLE_NAME=t STORES_TABLE_NAME=t ORDERS_TABLE_NAME=t CARTS_TABLE_NAME=t CACHE_ENDPOINT=localhost:1 ORDER_EVENTS_QUEUE_URL=http://x IDEMPOTENCY_TABLE_NAME=t
for i in $(seq $N); do for d in "$@"; do echo "$d $(/work/main/node_modules/.bin/node --enable-source-maps /work/main/.exp/load.mjs $d/index.mjs)"; done; done > /tmp/ab.out
/work/main/node_modules/.bin/node -e '
const lines=require("fs").readFileSync("/tmp/ab.out","utf8").trim().split("\n");const by={};
for(const l of lines){const i=l.indexOf(" ");const d=l.slice(0,i);let j;try{j=JSON.parse(l.slice(i+1))}catch{console.log("ERR",l);continue}(by[d]??=[]).push(j)}
const med=a=>{a=[...a].sort((x,y)=>x-y);return a[a.length>>1]};
const ref=Object.keys(by)[0];const rm=med(by[ref].map(x=>x.ms)), rc=med(by[ref].map(x=>x.cpu));
for(const [d,a] of Object.entries(by)){const m=med(a.map(x=>x.ms)),c=med(a.map(x=>x.cpu));console.log(d.padEnd(30),m.toFixed(1),(m/rm).toFixed(2)+"x",c.toFixed(1),(c/rc).toFixed(2)+"x")}'
