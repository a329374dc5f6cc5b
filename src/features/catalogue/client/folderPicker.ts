import { pathInsideFolder, type PickedFile } from '../../../lib/folderCatalogue';

/** A folder the user chose, its files with paths inside it. */
export interface PickedFolder {
  name: string;
  files: PickedFile<File>[];
  /** Its directory handle where the browser gives one, which IndexedDB can keep to reopen it later; else null. */
  handle: FileSystemDirectoryHandle | null;
}

/** Read permission on a kept handle (File System Access API; not yet in TypeScript's DOM types). */
interface PermissionHandle {
  queryPermission?(options: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(options: { mode: 'read' }): Promise<PermissionState>;
}

/** A drop's item can give a handle of what was dropped (Chromium), taken like entries while the drop event runs. */
interface HandleItem {
  getAsFileSystemHandle?(): Promise<FileSystemHandle | null>;
}

type DirectoryPicker = () => Promise<FileSystemDirectoryHandle>;

function directoryPicker(): DirectoryPicker | null {
  const picker = (window as unknown as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;
  return picker ? picker.bind(window) : null;
}

export const hasDirectoryPicker = (): boolean => directoryPicker() !== null;

async function walkHandle(dir: FileSystemDirectoryHandle, prefix: string, out: PickedFile<File>[]): Promise<void> {
  for await (const handle of dir.values()) {
    const path = `${prefix}${handle.name}`;
    if (handle.kind === 'file') out.push({ path, file: await (handle as FileSystemFileHandle).getFile() });
    else await walkHandle(handle as FileSystemDirectoryHandle, `${path}/`, out);
  }
}

/** The File System Access directory picker (Chromium); null when the user cancels. */
export async function pickDirectory(): Promise<PickedFolder | null> {
  const picker = directoryPicker();
  if (!picker) return null;
  let dir: FileSystemDirectoryHandle;
  try {
    dir = await picker();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return null;
    throw error;
  }
  return readDirectory(dir);
}

/** Lists a folder through its handle: the picker's, or one kept by an earlier visit. */
export async function readDirectory(dir: FileSystemDirectoryHandle): Promise<PickedFolder> {
  const files: PickedFile<File>[] = [];
  await walkHandle(dir, '', files);
  return { name: dir.name, files, handle: dir };
}

/**
 * Whether the page may read a kept folder now: asks the browser when it must (a prompt, so only
 * from a click). A browser without these methods grants what its handles give.
 */
export async function mayRead(dir: FileSystemDirectoryHandle): Promise<boolean> {
  const handle = dir as unknown as PermissionHandle;
  if (!handle.queryPermission || !handle.requestPermission) return true;
  if ((await handle.queryPermission({ mode: 'read' })) === 'granted') return true;
  return (await handle.requestPermission({ mode: 'read' })) === 'granted';
}

/** The files of an `<input type=file webkitdirectory>`: paths start with the folder's name. */
export function folderFromInput(list: FileList): PickedFolder | null {
  const files = Array.from(list);
  if (files.length === 0) return null;
  const name = files[0].webkitRelativePath.split('/')[0] || 'folder';
  return {
    name,
    files: files.map((file) => ({ path: pathInsideFolder(file.webkitRelativePath || file.name), file })),
    handle: null,
  };
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    // readEntries answers in chunks (100 in Chromium) until an empty one.
    const next = () =>
      reader.readEntries((entries) => {
        if (entries.length === 0) resolve(all);
        else {
          all.push(...entries);
          next();
        }
      }, reject);
    next();
  });
}

async function walkEntry(entry: FileSystemEntry, out: PickedFile<File>[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path: pathInsideFolder(entry.fullPath), file });
  } else if (entry.isDirectory) {
    for (const child of await readAll((entry as FileSystemDirectoryEntry).createReader())) await walkEntry(child, out);
  }
}

/** A folder dropped on the page; null when what was dropped holds no folder (plain files). */
export async function folderFromDrop(data: DataTransfer): Promise<PickedFolder | null> {
  // Entries (and handles) must be taken while the drop event runs.
  const items = Array.from(data.items);
  const at = items.findIndex((item) => item.webkitGetAsEntry()?.isDirectory);
  if (at < 0) return null;
  const dir = items[at].webkitGetAsEntry()!;
  const handle = (items[at] as unknown as HandleItem).getAsFileSystemHandle?.().catch(() => null) ?? null;
  const files: PickedFile<File>[] = [];
  await walkEntry(dir, files);
  const kept = await handle;
  return { name: dir.name, files, handle: kept?.kind === 'directory' ? (kept as FileSystemDirectoryHandle) : null };
}
