use super::*;
use crate::store::conformance::{event, store_conformance, Subject};

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn embedded() -> Subject {
    let dir = tempfile::tempdir().unwrap();
    Subject {
        store: Arc::new(EmbeddedStore::open(dir.path()).unwrap()),
        _keep: Box::new(dir),
    }
}

store_conformance!(embedded());

fn events_of(entries: &[LogEntry]) -> Vec<Event> {
    crate::domain::log::events_of(entries).cloned().collect()
}

fn append(store: &EmbeddedStore, v: u64, events: &[Event]) -> u64 {
    store
        .append("central", day(), v, BatchId::random(), events)
        .unwrap()
}

fn files_with(dir: &Path, part: &str) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(part)
        })
        .count()
}

#[test]
fn appends_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = EmbeddedStore::open(dir.path()).unwrap();
        assert!(store.load("central", day()).unwrap().entries.is_empty());
        assert_eq!(append(&store, 0, &[event(0), event(1)]), 2);
    }
    let store = EmbeddedStore::open(dir.path()).unwrap();
    assert_eq!(
        events_of(&store.load("central", day()).unwrap().entries),
        vec![event(0), event(1)]
    );
    assert_eq!(store.days("central").unwrap(), vec![day()]);
}

#[test]
fn the_folder_lock_holds_when_the_lock_file_is_deleted_or_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let _first = EmbeddedStore::open(dir.path()).unwrap();
    assert!(EmbeddedStore::open(dir.path()).is_err(), "folder is locked");
    std::fs::remove_file(dir.path().join("LOCK")).unwrap();
    assert!(
        EmbeddedStore::open(dir.path()).is_err(),
        "deleting LOCK lets nobody in"
    );
    std::fs::write(dir.path().join("LOCK"), b"replaced").unwrap();
    assert!(EmbeddedStore::open(dir.path()).is_err());
}

#[test]
fn a_torn_tail_is_cut_and_kept_aside() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = EmbeddedStore::open(dir.path()).unwrap();
        store.load("central", day()).unwrap();
        append(&store, 0, &[event(0), event(1)]);
    }
    let path = dir.path().join("central/2026-11-23.log");
    let good = std::fs::metadata(&path).unwrap().len();
    let mut f = OpenOptions::new().append(true).open(&path).unwrap();
    f.write_all(&[
        0xFF, b'T', b'R', b'N', 40, 0, 0, 0, 2, 0, 0, 0, 1, 2, 3, 4, b'{',
    ])
    .unwrap();
    drop(f);
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let loaded = store.load("central", day()).unwrap();
    assert_eq!(loaded.version(), 2);
    assert_eq!(loaded.cut_bytes, 17);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), good);
    assert_eq!(append(&store, 2, &[event(2)]), 3);
    assert_eq!(files_with(&dir.path().join("central"), "corrupt"), 1);
}

#[test]
fn damage_in_the_middle_is_kept_and_appends_continue_after_it() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = EmbeddedStore::open(dir.path()).unwrap();
        store.load("central", day()).unwrap();
        append(&store, 0, &(0..6).map(event).collect::<Vec<_>>());
    }
    let path = dir.path().join("central/2026-11-23.log");
    let mut bytes = std::fs::read(&path).unwrap();
    let len = bytes.len();
    let middle = len / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&path, &bytes).unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let loaded = store.load("central", day()).unwrap();
    assert_eq!(loaded.version(), 5, "one record lost, the others kept");
    assert_eq!(loaded.cut_bytes, 0);
    assert_eq!(loaded.damage.len(), 1);
    assert!(loaded.entries.iter().any(|e| matches!(e, LogEntry::Gap(_))));
    assert_eq!(
        std::fs::metadata(&path).unwrap().len() as usize,
        len,
        "nothing cut"
    );
    assert_eq!(files_with(&dir.path().join("central"), "damaged"), 1);
    assert_eq!(append(&store, 5, &[event(9)]), 6);
    drop(store);
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let again = store.load("central", day()).unwrap();
    assert_eq!(again.version(), 6);
    assert_eq!(events_of(&again.entries).last(), Some(&event(9)));
    assert_eq!(
        files_with(&dir.path().join("central"), "damaged"),
        1,
        "the damaged bytes are kept once"
    );
}

#[test]
fn unsynced_appends_can_be_discarded() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    store.load("central", day()).unwrap();
    let b = BatchId::random;
    assert_eq!(
        store
            .append_buffered("central", day(), 0, b(), &[event(0)])
            .unwrap(),
        1
    );
    store.sync("central", day()).unwrap();
    assert_eq!(
        store
            .append_buffered("central", day(), 1, b(), &[event(1), event(2)])
            .unwrap(),
        3
    );
    assert_eq!(
        events_of(&store.read("central", day()).unwrap()),
        [event(0)],
        "readers see only what is durable"
    );
    assert_eq!(store.discard_unsynced("central", day()).unwrap(), 1);
    assert_eq!(append(&store, 1, &[event(3)]), 2);
    drop(store);
    let store = EmbeddedStore::open(dir.path()).unwrap();
    assert_eq!(
        events_of(&store.load("central", day()).unwrap().entries),
        vec![event(0), event(3)]
    );
}

#[test]
fn a_log_written_by_version_1_is_loaded_and_continued() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("central");
    std::fs::create_dir_all(&folder).unwrap();
    let fixture = include_bytes!("../../../tests/fixtures/v1-day.log");
    let path = folder.join("2026-11-23.log");
    std::fs::write(&path, fixture).unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let loaded = store.load("central", day()).unwrap();
    assert!(loaded.damage.is_empty());
    let v = loaded.version();
    assert!(v >= 10);
    append(&store, v, &[event(77)]);
    drop(store);
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        bytes.starts_with(fixture),
        "the old records are left as they were"
    );
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let again = store.load("central", day()).unwrap();
    assert_eq!(again.version(), v + 1);
    assert!(again.damage.is_empty());
}
