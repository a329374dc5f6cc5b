import { pathInsideFolder, type PickedFile } from '../../../lib/folderCatalogue';

/** A folder the user chose, its files with paths inside it. */
export interface PickedFolder {
  name: string;
  files: PickedFile<File>[];
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
  const files: PickedFile<File>[] = [];
  await walkHandle(dir, '', files);
  return { name: dir.name, files };
}

/** The files of an `<input type=file webkitdirectory>`: paths start with the folder's name. */
export function folderFromInput(list: FileList): PickedFolder | null {
  const files = Array.from(list);
  if (files.length === 0) return null;
  const name = files[0].webkitRelativePath.split('/')[0] || 'folder';
  return { name, files: files.map((file) => ({ path: pathInsideFolder(file.webkitRelativePath || file.name), file })) };
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
  // Entries must be taken while the drop event runs.
  const entries = Array.from(data.items)
    .map((item) => item.webkitGetAsEntry())
    .filter((e): e is FileSystemEntry => e !== null);
  const dir = entries.find((e) => e.isDirectory);
  if (!dir) return null;
  const files: PickedFile<File>[] = [];
  await walkEntry(dir, files);
  return { name: dir.name, files };
}
