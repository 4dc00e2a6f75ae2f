import sqlite3 from 'sqlite3';
const db = new sqlite3.Database(process.argv[2]);
db.all("select sql from sqlite_master where name='mcp_servers'", (e, rows) => { console.log(rows[0].sql); });
