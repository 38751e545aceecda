// The country as a directory: 33 Kanwil Ditjenpas (one per province), 700 UPT under them, 550 Pemda with 30 OPD
// each, and three contacts per party, with Indonesian names from a small seeded generator (the same seed, the
// same country). Places are made from the syllables regional names are made of; people from common given names
// and family names across the archipelago, some with the titles officials write.
import type { Contact, PartyKind, TimeZone } from '../../domain/types.js';

export interface NationalParty {
  id: string;
  name: string;
  kind: PartyKind;
  parentId?: string;
  timeZone: TimeZone;
  /** The province's Kanwil, for a UPT, a Pemda or an OPD: whose tree it is in for a Kanwil's reports. */
  kanwilId: string;
  contacts: Contact[];
}

const PROVINCES: [string, TimeZone][] = [
  ['Aceh', 'Asia/Jakarta'],
  ['Sumatera Utara', 'Asia/Jakarta'],
  ['Sumatera Barat', 'Asia/Jakarta'],
  ['Riau', 'Asia/Jakarta'],
  ['Kepulauan Riau', 'Asia/Jakarta'],
  ['Jambi', 'Asia/Jakarta'],
  ['Sumatera Selatan', 'Asia/Jakarta'],
  ['Bangka Belitung', 'Asia/Jakarta'],
  ['Bengkulu', 'Asia/Jakarta'],
  ['Lampung', 'Asia/Jakarta'],
  ['DKI Jakarta', 'Asia/Jakarta'],
  ['Banten', 'Asia/Jakarta'],
  ['Jawa Barat', 'Asia/Jakarta'],
  ['Jawa Tengah', 'Asia/Jakarta'],
  ['DI Yogyakarta', 'Asia/Jakarta'],
  ['Jawa Timur', 'Asia/Jakarta'],
  ['Kalimantan Barat', 'Asia/Jakarta'],
  ['Kalimantan Tengah', 'Asia/Jakarta'],
  ['Kalimantan Selatan', 'Asia/Makassar'],
  ['Kalimantan Timur', 'Asia/Makassar'],
  ['Kalimantan Utara', 'Asia/Makassar'],
  ['Bali', 'Asia/Makassar'],
  ['Nusa Tenggara Barat', 'Asia/Makassar'],
  ['Nusa Tenggara Timur', 'Asia/Makassar'],
  ['Sulawesi Utara', 'Asia/Makassar'],
  ['Gorontalo', 'Asia/Makassar'],
  ['Sulawesi Tengah', 'Asia/Makassar'],
  ['Sulawesi Barat', 'Asia/Makassar'],
  ['Sulawesi Selatan', 'Asia/Makassar'],
  ['Sulawesi Tenggara', 'Asia/Makassar'],
  ['Maluku', 'Asia/Jayapura'],
  ['Maluku Utara', 'Asia/Jayapura'],
  ['Papua', 'Asia/Jayapura'],
];

const PLACE_START = [
  'Suka',
  'Karang',
  'Tanjung',
  'Sido',
  'Batu',
  'Muara',
  'Sungai',
  'Teluk',
  'Pasir',
  'Bukit',
  'Rantau',
  'Padang',
  'Lubuk',
  'Tanah',
  'Kuala',
  'Pulau',
  'Gunung',
  'Air',
  'Labuhan',
  'Pangkalan',
  'Kampung',
  'Kali',
  'Rejo',
  'Wono',
];
const PLACE_END = [
  'maju',
  'jaya',
  'sari',
  'rejo',
  'makmur',
  'baru',
  'raya',
  'indah',
  'mulya',
  'asri',
  'harjo',
  'agung',
  'luhur',
  'mekar',
  'permai',
  'damai',
  'tirta',
  'kencana',
  'mas',
  'lestari',
];
const DIRECTION = ['', ' Utara', ' Selatan', ' Timur', ' Barat', ' Tengah', ' Hulu', ' Hilir', ' Raya', ' Pesisir'];
const GIVEN = [
  'Agus',
  'Budi',
  'Siti',
  'Dewi',
  'Rina',
  'Hendra',
  'Rudy',
  'Sri',
  'Wahyu',
  'Yuliana',
  'Made',
  'Ketut',
  'Nyoman',
  'Andi',
  'Muhammad',
  'Ahmad',
  'Nur',
  'Eko',
  'Dwi',
  'Tri',
  'Fitri',
  'Rahmat',
  'Yohanes',
  'Maria',
  'Benny',
  'Lina',
  'Putu',
  'Irwan',
  'Fajar',
  'Ratna',
  'Yusuf',
  'Indah',
  'Teguh',
  'Sari',
  'Bambang',
  'Herlina',
  'Daniel',
  'Ayu',
];
const FAMILY = [
  'Santoso',
  'Wijaya',
  'Gunawan',
  'Kusuma',
  'Saputra',
  'Hidayat',
  'Siregar',
  'Nasution',
  'Simanjuntak',
  'Lubis',
  'Harahap',
  'Sembiring',
  'Manurung',
  'Tanjung',
  'Pratama',
  'Setiawan',
  'Nugroho',
  'Rahman',
  'Hakim',
  'Sinaga',
  'Wenas',
  'Pattinama',
  'Latuconsina',
  'Mandagi',
  'Rumbiak',
  'Daeng',
  'Sitompul',
  'Purba',
  'Suryadi',
  'Halim',
];
const TITLES_BEFORE = ['', '', '', 'Dr. ', 'Drs. ', 'H. ', 'Ir. '];
const TITLES_AFTER = ['', '', ', S.H.', ', S.H., M.H.', ', S.Sos.', ', S.E.', ', M.Si.', ', S.Kom.'];
/** The OPD of a Pemda, in the order seed 001's 21 in Klaten begin. */
export const OPD_NAMES = [
  'Dinas Sosial',
  'Dinas Kesehatan',
  'Dinas Pendidikan',
  'Dinas Tenaga Kerja',
  'Dinas Pertanian',
  'Dinas Perikanan',
  'Dinas Koperasi dan UKM',
  'Dinas Perdagangan',
  'Dinas Perindustrian',
  'Dinas Pariwisata',
  'Dinas Kebudayaan',
  'Dinas Lingkungan Hidup',
  'Dinas Perhubungan',
  'Dinas Kependudukan dan Pencatatan Sipil',
  'Dinas Perpustakaan',
  'Dinas Pemuda dan Olahraga',
  'Dinas Pemberdayaan Perempuan',
  'Dinas Komunikasi dan Informatika',
  'Dinas Pekerjaan Umum',
  'Badan Kesatuan Bangsa dan Politik',
  'Satuan Polisi Pamong Praja',
  'Dinas Peternakan',
  'Dinas Ketahanan Pangan',
  'Dinas Penanaman Modal',
  'Badan Perencanaan Pembangunan Daerah',
  'Dinas Perumahan',
  'Badan Penanggulangan Bencana Daerah',
  'Dinas Pemberdayaan Masyarakat dan Desa',
  'Dinas Kearsipan',
  'Rumah Sakit Umum Daerah',
];
const UPT_KINDS = ['Lapas Kelas IIA', 'Lapas Kelas IIB', 'Rutan Kelas IIB', 'Bapas Kelas II', 'LPKA Kelas II'];

export const NATIONAL = { kanwil: PROVINCES.length, upt: 700, pemda: 550, opdEach: OPD_NAMES.length, contactsEach: 3 };

/** mulberry32: a small seeded generator, so that every run builds the same country. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export function nationalDirectory(seed = 20261205): NationalParty[] {
  const random = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const person = () => `${pick(TITLES_BEFORE)}${pick(GIVEN)} ${pick(FAMILY)}${pick(TITLES_AFTER)}`;
  // Every place once: the syllables' pairs, then the same with a direction, in a shuffled order.
  const places = PLACE_START.flatMap((a) => PLACE_END.map((b) => `${a}${b}`)).flatMap((p) =>
    DIRECTION.map((d) => `${p}${d}`),
  );
  for (let i = places.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [places[i], places[j]] = [places[j]!, places[i]!];
  }
  let nextPlace = 0;
  const contacts = (id: string, head: string): Contact[] => [
    { name: person(), position: 'Kepala Subbagian', email: `penghubung@${id}.go.id`, role: 'liaison' },
    { name: person(), position: head, email: `kepala@${id}.go.id`, role: 'signatory' },
    { name: person(), position: 'Sekretaris', email: `sekretaris@${id}.go.id`, role: 'supervisor' },
  ];
  const out: NationalParty[] = [];
  const kanwils = PROVINCES.map(([province, timeZone]) => {
    const id = `kanwil-${slug(province)}`;
    const party = {
      id,
      name: `Kantor Wilayah Ditjenpas ${province}`,
      kind: 'kanwil' as const,
      timeZone,
      kanwilId: id,
      contacts: contacts(id, 'Kepala Kantor Wilayah'),
    };
    out.push(party);
    return party;
  });
  for (let i = 0; i < NATIONAL.upt; i++) {
    const kanwil = kanwils[i % kanwils.length]!;
    const name = `${UPT_KINDS[i % UPT_KINDS.length]} ${places[nextPlace++]}`;
    const id = `upt-${String(i + 1).padStart(3, '0')}-${slug(name)}`;
    out.push({
      id,
      name,
      kind: 'upt',
      parentId: kanwil.id,
      timeZone: kanwil.timeZone,
      kanwilId: kanwil.id,
      contacts: contacts(id, 'Kepala'),
    });
  }
  for (let i = 0; i < NATIONAL.pemda; i++) {
    const kanwil = kanwils[i % kanwils.length]!;
    const place = places[nextPlace++]!;
    const city = i % 5 === 4;
    const id = `pemda-${String(i + 1).padStart(3, '0')}-${slug(place)}`;
    const region = `${city ? 'Kota' : 'Kabupaten'} ${place}`;
    out.push({
      id,
      name: `Pemerintah ${region}`,
      kind: 'pemda',
      timeZone: kanwil.timeZone,
      kanwilId: kanwil.id,
      contacts: contacts(id, city ? 'Wali Kota' : 'Bupati'),
    });
    OPD_NAMES.forEach((opd, k) => {
      const opdId = `${id}-opd-${String(k + 1).padStart(2, '0')}`;
      out.push({
        id: opdId,
        name: `${opd} ${region}`,
        kind: 'opd',
        parentId: id,
        timeZone: kanwil.timeZone,
        kanwilId: kanwil.id,
        contacts: contacts(opdId, 'Kepala Dinas'),
      });
    });
  }
  return out;
}
