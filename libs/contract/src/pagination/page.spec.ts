import fc from 'fast-check';
import { TaskRouterError } from '../errors/taskrouter-error';
import { readPageRequest, renderPage } from './page';

const LIST_URL = 'https://taskrouter.example.com/v1/Workspaces/WS1/Tasks';

function refusal(query: Record<string, unknown>): TaskRouterError {
  try {
    readPageRequest(query);
  } catch (error) {
    if (error instanceof TaskRouterError) return error;
    throw error;
  }
  throw new Error('expected the page request to be refused');
}

describe('reading a page request', () => {
  it('defaults to page 0 of 50', () => {
    expect(readPageRequest({})).toEqual({ page: 0, pageSize: 50 });
  });

  it('accepts PageSize 1 to 1000', () => {
    expect([readPageRequest({ PageSize: '1' }).pageSize, readPageRequest({ PageSize: '1000', Page: '3' })]).toEqual([1, { page: 3, pageSize: 1000 }]);
  });

  it("refuses PageSize above 1000 with Twilio's 20007 Page size too large", () => {
    expect(refusal({ PageSize: '1001' }).toBody()).toMatchObject({ status: 400, code: 20007 });
  });

  it.each([{ PageSize: '0' }, { PageSize: 'ten' }, { PageSize: '2.5' }, { Page: '-1' }, { Page: 'first' }])('refuses %p as an invalid parameter', (query) => {
    expect(refusal(query).toBody()).toMatchObject({ status: 400, code: 20001 });
  });

  it.each([{ Page: '1e20' }, { Page: '1000001' }, { Page: '1e3' }, { Page: ' 5' }, { Page: '0x10' }, { PageSize: '1e3' }, { PageSize: '+5' }, { Page: ['1', 'x'] }])(
    'refuses %p: Page and PageSize are plain digits, Page at most 1,000,000',
    (query) => {
      expect(refusal(query).toBody()).toMatchObject({ status: 400, code: 20001 });
    },
  );

  it('takes Page 1,000,000 (an offset Postgres and JavaScript hold exactly), the last of repeated values, and empty as absent', () => {
    expect(readPageRequest({ Page: '1000000', PageSize: '1000' })).toEqual({ page: 1_000_000, pageSize: 1000 });
    expect(readPageRequest({ Page: ['9', '2'], PageSize: ['5', '10'] })).toEqual({ page: 2, pageSize: 10 });
    expect(readPageRequest({ Page: '', PageSize: '' })).toEqual({ page: 0, pageSize: 50 });
  });

  it('refuses a PageSize of any number of digits above 1000 with 20007', () => {
    expect(refusal({ PageSize: '9'.repeat(400) }).toBody()).toMatchObject({ status: 400, code: 20007 });
  });
});

describe('rendering a page', () => {
  const rows = (count: number) => Array.from({ length: count }, (_, index) => ({ sid: `WT${index}` }));

  it('gives no next_page_url when the rows fit in the page', () => {
    const page = renderPage('tasks', rows(2), { page: 0, pageSize: 2 }, LIST_URL, {});
    expect(page['tasks']).toHaveLength(2);
    expect(page.meta).toEqual({
      first_page_url: `${LIST_URL}?PageSize=2&Page=0`, key: 'tasks', next_page_url: null, page: 0, page_size: 2,
      previous_page_url: null, url: `${LIST_URL}?PageSize=2&Page=0`,
    });
  });

  it('gives a next_page_url, and drops the extra row, when one more row than the page exists', () => {
    const page = renderPage('tasks', rows(3), { page: 0, pageSize: 2 }, LIST_URL, {});
    expect(page['tasks']).toEqual(rows(2));
    expect(page.meta.next_page_url).toBe(`${LIST_URL}?PageSize=2&Page=1`);
  });

  it('gives a previous_page_url after the first page', () => {
    expect(renderPage('tasks', rows(1), { page: 2, pageSize: 2 }, LIST_URL, {}).meta).toMatchObject({
      previous_page_url: `${LIST_URL}?PageSize=2&Page=1`, url: `${LIST_URL}?PageSize=2&Page=2`, first_page_url: `${LIST_URL}?PageSize=2&Page=0`, page: 2,
    });
  });

  it('echoes the active filters in every URL, leaving out those not given', () => {
    const page = renderPage('tasks', rows(3), { page: 0, pageSize: 2 }, LIST_URL, { AssignmentStatus: 'pending,reserved', TaskQueueSid: undefined });
    expect(page.meta.url).toBe(`${LIST_URL}?AssignmentStatus=pending%2Creserved&PageSize=2&Page=0`);
    expect(page.meta.next_page_url).toBe(`${LIST_URL}?AssignmentStatus=pending%2Creserved&PageSize=2&Page=1`);
  });

  it('puts the rows under the key of the list', () => {
    expect(Object.keys(renderPage('workers', [], { page: 0, pageSize: 50 }, LIST_URL, {})).sort()).toEqual(['meta', 'workers']);
  });
});

describe('rendering any page', () => {
  it('holds at most page_size rows and links a next page exactly when a further row exists', () => {
    fc.assert(fc.property(fc.nat({ max: 30 }), fc.integer({ min: 1, max: 25 }), fc.nat({ max: 5 }), (count, pageSize, pageNumber) => {
      const items = Array.from({ length: count }, (_, index) => index);
      const page = renderPage('tasks', items, { page: pageNumber, pageSize }, LIST_URL, {});
      expect(page['tasks']).toEqual(items.slice(0, pageSize));
      expect(page.meta.next_page_url !== null).toBe(count > pageSize);
      expect(page.meta.previous_page_url !== null).toBe(pageNumber > 0);
    }));
  });
});
